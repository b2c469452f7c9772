"""Enrich as its tests run it: the real app (bus, outbox, database) in this process."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI

from wirestream.common.envelope import unpack_envelope
from wirestream.common.events import Event
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_INGESTED
from wirestream.common.testing import eventually
from wirestream.enrich.main import create_app
from wirestream.enrich.settings import EnrichSettings

ADMIN = "test-admin-token"
T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


@dataclass
class Enrich:
    app: FastAPI
    redis: aioredis.Redis

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime  # type: ignore[no-any-return]

    async def publish(self, *events: Event) -> None:
        for event in events:
            await self.runtime.bus.publish(ARTICLES_INGESTED, event)

    async def entries(self) -> list[tuple[bytes, dict[str, Any]]]:
        """Every event enrich emitted, in stream order, as (stream id, JSON)."""
        return [(sid, json.loads(unpack_envelope(f[b"__data__"])[0]))
                for sid, f in await self.redis.xrange(ARTICLES_ENRICHED)]

    async def emitted(self, event_type: str | None = None) -> list[dict[str, Any]]:
        return [e for _, e in await self.entries()
                if event_type is None or e["event_type"] == event_type]

    async def wait_for(self, check: Callable[[list[dict[str, Any]]], Any],
                       within: float = 20) -> Any:
        async def probe() -> Any:
            return check(await self.emitted())
        return await eventually(probe, timeout=within)

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                 base_url="http://enrich")


@asynccontextmanager
async def running(redis_url: str, database_url: str, **settings: Any) -> AsyncIterator[Enrich]:
    fields: dict[str, Any] = {"redis_url": redis_url, "database_url": database_url,
                              "claim_idle_ms": 1000, "polling_interval_ms": 50,
                              "outbox_poll_s": 0.05, "log_json": False, "admin_token": ADMIN,
                              "taxonomy_check_s": 0.2}
    fields.update(settings)
    app = create_app(EnrichSettings(**fields))
    redis = aioredis.Redis.from_url(redis_url)
    try:
        async with app.router.lifespan_context(app):
            yield Enrich(app, redis)
    finally:
        await redis.aclose()


@pytest.fixture
def enrich(redis_url: str, database_url: str) -> Callable[..., Any]:
    """``async with enrich(**settings) as e:`` a running enrich on this test's databases."""
    def start(**settings: Any) -> Any:
        return running(redis_url, database_url, **settings)
    return start


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)
