from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from wirestream.common.bus import Bus
from wirestream.common.db import create_engine, messaging_tables, new_metadata, session_factory
from wirestream.common.metrics import Metrics
from wirestream.common.outbox import OutboxRelay
from wirestream.common.settings import ServiceSettings


@dataclass
class Harness:
    """A service-shaped setup: one database with outbox/inbox, a bus, a relay."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    handled: sa.Table
    bus: Bus
    relay: OutboxRelay
    metrics: Metrics


@pytest.fixture
async def harness(redis_url: str, database_url: str) -> AsyncIterator[Harness]:
    metadata = new_metadata()
    outbox, inbox = messaging_tables(metadata)
    handled = sa.Table(
        "handled", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
    )
    settings = ServiceSettings(service_name="test", redis_url=redis_url, claim_idle_ms=300,
                               max_deliveries=3, polling_interval_ms=20, batch_size=50,
                               database_url=database_url)
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    metrics = Metrics(CollectorRegistry(), "test")
    bus = Bus(settings, metrics=metrics)
    sessions = session_factory(engine)
    relay = OutboxRelay(sessions=sessions, outbox=outbox, inbox=inbox, redis=bus.redis,
                        metrics=metrics, poll_s=0.05)
    yield Harness(settings, engine, sessions, handled, bus, relay, metrics)
    await bus.stop()
    await engine.dispose()
