"""The two bus faults the chaos scenarios found, pinned down in seconds.

* publish-database-down: a database outage longer than ``max_deliveries`` claims
  dead-lettered healthy events (the site lost articles and comments);
* redis-restarted-empty: FastStream stopped every subscriber on NOGROUP and nothing
  consumed again until the processes were restarted;
* redis-restarted-empty-with-backlog: the events waiting in a stream when Redis lost
  its data were gone for good (the outbox had marked them relayed).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from prometheus_client import CollectorRegistry
from pydantic import TypeAdapter

from wirestream.common.bus import Bus
from wirestream.common.db import create_engine, messaging_tables, new_metadata, session_factory
from wirestream.common.events import CommentPosted
from wirestream.common.metrics import Metrics
from wirestream.common.outbox import OutboxRelay
from wirestream.common.settings import ServiceSettings
from wirestream.common.streams import DEAD_LETTERS
from wirestream.common.testing import eventually, make_comment

STREAM, GROUP = "test:recovery", "g"


class Consumer:
    """A service-shaped consumer whose handler fails ``outage`` times with a connection error."""

    def __init__(self, redis_url: str, database_url: str, *, outage: int = 0) -> None:
        metadata = new_metadata()
        messaging_tables(metadata)
        self.handled = sa.Table("handled", metadata, sa.Column("body", sa.String(100)))
        self.metadata = metadata
        settings = ServiceSettings(service_name="t", redis_url=redis_url,
                                   database_url=database_url, claim_idle_ms=200,
                                   max_deliveries=3, polling_interval_ms=20, log_json=False)
        self.engine = create_engine(database_url)
        self.bus = Bus(settings, metrics=Metrics(CollectorRegistry(), "t"))
        self.relay = relay = OutboxRelay(sessions=session_factory(self.engine),
                            outbox=metadata.tables["outbox"], inbox=metadata.tables["inbox"],
                            redis=self.bus.redis, metrics=self.bus.metrics)
        self.failures_left = outage

        async def handler(events: list[CommentPosted]) -> None:
            if self.failures_left > 0:
                self.failures_left -= 1
                raise ConnectionResetError(104, "Connection reset by peer")
            async with relay.transaction() as tx:
                for e in await tx.fresh(GROUP, events):
                    await tx.session.execute(self.handled.insert().values(body=e.body))

        self.bus.subscribe(stream=STREAM, group=GROUP, adapter=TypeAdapter(CommentPosted),
                           handler=handler)

    async def rows(self) -> list[str]:
        async with self.engine.connect() as conn:
            return sorted((await conn.execute(sa.select(self.handled.c.body))).scalars())


@pytest.fixture
async def consumer(redis_url: str, database_url: str) -> AsyncIterator[Consumer]:
    c = Consumer(redis_url, database_url, outage=8)
    async with c.engine.begin() as conn:
        await conn.run_sync(c.metadata.create_all)
    yield c
    await c.bus.stop()
    await c.engine.dispose()


async def test_an_outage_longer_than_max_deliveries_dead_letters_nothing(
        consumer: Consumer) -> None:
    await consumer.bus.start()
    await consumer.bus.publish(STREAM, make_comment(body="survives the outage"))
    assert await eventually(consumer.rows, timeout=30) == ["survives the outage"]
    assert consumer.failures_left == 0  # delivered 9 times: well past max_deliveries=3
    assert await consumer.bus.redis.xlen(DEAD_LETTERS) == 0


async def test_subscribers_come_back_after_redis_loses_every_group(consumer: Consumer) -> None:
    consumer.failures_left = 0
    supervisor = asyncio.create_task(consumer.bus.supervise(interval_s=0.2))
    await consumer.bus.start()
    await consumer.bus.publish(STREAM, make_comment(body="before"))
    await eventually(consumer.rows, timeout=20)
    await consumer.bus.redis.flushall()  # Redis restarted empty: streams and groups gone
    await eventually(lambda: asyncio.sleep(0, not consumer.bus.healthy()), timeout=20)
    await consumer.bus.publish(STREAM, make_comment(body="after"))
    assert await eventually(lambda: _has(consumer, "after"), timeout=30)
    await eventually(lambda: asyncio.sleep(0, consumer.bus.healthy()), timeout=20)
    supervisor.cancel()


async def _has(consumer: Consumer, body: str) -> bool:
    return body in await consumer.rows()


async def test_events_waiting_in_a_stream_are_relayed_again_after_redis_loses_them(
        consumer: Consumer) -> None:
    async with consumer.relay.transaction() as tx:
        await tx.emit(STREAM, make_comment(body="in flight"))
    assert await consumer.relay.relay_once() == 1
    assert await consumer.bus.redis.xlen(STREAM) == 1
    await consumer.bus.redis.flushall()  # before any consumer read it
    await consumer.relay.relay_once()
    [(_, fields)] = await consumer.bus.redis.xrange(STREAM)
    assert fields[b"event_type"] == b"comment.posted"
    await consumer.relay.relay_once()  # Redis intact now: nothing relayed twice
    assert await consumer.bus.redis.xlen(STREAM) == 1

