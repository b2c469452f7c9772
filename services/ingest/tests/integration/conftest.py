"""The ingest app on real Redis and a real database, driven in-process over ASGI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from wirestream.common.envelope import unpack_envelope
from wirestream.common.events import ANY_EVENT, Event, new_id
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_INGESTED
from wirestream.common.testing import eventually
from wirestream.common.webhooks import sign_headers
from wirestream.ingest.main import create_app
from wirestream.ingest.models import outbox
from wirestream.ingest.settings import IngestSettings

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ADMIN = {"Authorization": "Bearer t"}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@dataclass
class Ingest:
    """One running ingest app plus the helpers a test drives it with."""

    app: FastAPI
    client: httpx.AsyncClient
    redis: Redis

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime  # type: ignore[no-any-return]

    async def add_agency(self, name: str | None = None, **fields: Any) -> tuple[str, str]:
        """Create an agency through the admin API; returns its name and secret."""
        name = name or f"ag{new_id()[:8]}"
        r = await self.client.post("/v1/admin/agencies", json={"name": name, **fields},
                                   headers=ADMIN)
        assert r.status_code == 201, r.text
        return name, r.json()["secret"]

    async def send(self, agency: str, secret: str, body: bytes | str | dict[str, Any],
                   content_type: str | None = None, *, msg_id: str | None = None,
                   timestamp: datetime | None = None) -> httpx.Response:
        """POST a document to the webhook, signed as the agency would sign it."""
        if isinstance(body, dict):
            body, content_type = json.dumps(body).encode(), content_type or "application/json"
        raw = body.encode() if isinstance(body, str) else body
        headers = sign_headers(secret, raw.decode(), msg_id=msg_id, timestamp=timestamp)
        if content_type:
            headers["content-type"] = content_type
        return await self.client.post(f"/v1/wire/{agency}", content=raw, headers=headers)

    async def events(self) -> list[Event]:
        """Every event on the ingested stream, oldest first."""
        entries: list[Any] = await self.redis.xrange(ARTICLES_INGESTED)  # type: ignore[assignment]
        return [ANY_EVENT.validate_json(unpack_envelope(fields[b"__data__"])[0])
                for _, fields in entries]

    async def wait_events(self, count: int, within: float = 15) -> list[Event]:
        async def enough() -> list[Event] | None:
            try:
                found = await self.events()
            except RedisConnectionError:  # a test that restarts Redis breaks our connection
                return None
            return found if len(found) >= count else None

        return await eventually(enough, timeout=within)  # type: ignore[no-any-return]

    async def settled(self) -> list[Event]:
        """The stream once every committed event has been relayed."""
        async def relayed() -> bool:
            async with self.runtime.sessions() as s:
                pending = await s.scalar(sa.select(sa.func.count()).select_from(outbox)
                                         .where(outbox.c.relayed_at.is_(None)))
            return pending == 0

        await eventually(relayed)
        return await self.events()


def settings_for(redis_url: str, database_url: str, **overrides: Any) -> IngestSettings:
    fields: dict[str, Any] = {
        "redis_url": redis_url, "database_url": database_url, "admin_token": "t",
        "outbox_poll_s": 0.05, "embargo_check_s": 0.1, "feed_tick_s": 0.1,
        "log_json": False, "log_level": "WARNING",
    }
    fields.update(overrides)
    return IngestSettings(**fields)


@asynccontextmanager
async def running(settings: IngestSettings) -> AsyncIterator[Ingest]:
    app = create_app(settings)
    redis = Redis.from_url(settings.redis_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as client:
            yield Ingest(app, client, redis)
    await redis.aclose()


IngestFactory = Callable[..., AbstractAsyncContextManager[Ingest]]


@pytest.fixture
def make_ingest(redis_url: str, database_url: str) -> IngestFactory:
    """Start an ingest app with test settings, overridden as given."""
    return lambda **overrides: running(settings_for(
        redis_url, overrides.pop("database_url", database_url), **overrides))


@pytest.fixture
async def ingest(make_ingest: IngestFactory) -> AsyncIterator[Ingest]:
    async with make_ingest() as app:
        yield app
