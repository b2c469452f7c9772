"""A consumer process for the SIGKILL test: it takes an entry and hangs before committing."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import sqlalchemy as sa
from prometheus_client import CollectorRegistry
from pydantic import TypeAdapter

from wirestream.common.bus import Bus
from wirestream.common.db import create_engine, messaging_tables, new_metadata, session_factory
from wirestream.common.events import CommentPosted
from wirestream.common.metrics import Metrics
from wirestream.common.outbox import OutboxRelay
from wirestream.common.settings import ServiceSettings

STREAM, GROUP = "test:kill", "g"


def tables() -> tuple[sa.MetaData, sa.Table]:
    metadata = new_metadata()
    messaging_tables(metadata)
    handled = sa.Table("handled", metadata,
                       sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                       sa.Column("event_id", sa.String(64)), sa.Column("value", sa.String(200)))
    return metadata, handled


def build(redis_url: str, database_url: str, *, consumer: str, claim_idle_ms: int,
          on_event=None):  # type: ignore[no-untyped-def]
    metadata, handled = tables()
    settings = ServiceSettings(service_name="t", redis_url=redis_url, database_url=database_url,
                               consumer_name=consumer, claim_idle_ms=claim_idle_ms,
                               polling_interval_ms=20, log_json=False)
    metrics = Metrics(CollectorRegistry(), "t")
    bus = Bus(settings, metrics=metrics)
    engine = create_engine(database_url)
    relay = OutboxRelay(sessions=session_factory(engine), outbox=metadata.tables["outbox"],
                        inbox=metadata.tables["inbox"], redis=bus.redis, metrics=metrics)

    async def handler(events: list[CommentPosted]) -> None:
        async with relay.transaction() as tx:
            for e in await tx.fresh(GROUP, events):
                await tx.session.execute(handled.insert().values(event_id=e.event_id,
                                                                 value=e.body))
                if on_event:
                    await on_event(e)

    bus.subscribe(stream=STREAM, group=GROUP, adapter=TypeAdapter(CommentPosted), handler=handler)
    return bus, engine, metadata, handled


async def main() -> None:
    redis_url, database_url, marker = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    work_s = float(sys.argv[4]) if len(sys.argv) > 4 else 3600.0

    async def slow(_event: CommentPosted) -> None:
        marker.write_text("started")
        await asyncio.sleep(work_s)  # SIGKILL lands here; SIGTERM lets it finish

    bus, engine, *_ = build(redis_url, database_url, consumer="doomed",
                            claim_idle_ms=600_000, on_event=slow)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await bus.start()
    await stop.wait()
    await bus.stop()  # waits for the in-flight handler (graceful_timeout_s)
    await engine.dispose()
    marker.write_text("stopped")


if __name__ == "__main__":
    asyncio.run(main())
