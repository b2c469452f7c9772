"""The comments app on a real Redis and a real database, driven over ASGI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from wirestream.comments.api import Context
from wirestream.comments.main import create_app
from wirestream.comments.models import KnownArticle
from wirestream.comments.settings import CommentsSettings
from wirestream.common.envelope import unpack_envelope
from wirestream.common.events import ArticlePublished, new_id
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_PUBLISHED, COMMENTS
from wirestream.common.testing import eventually

ADMIN_TOKEN = "test-admin-token"
CSRF = {"X-Requested-With": "wirestream"}


@dataclass
class Harness:
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def ctx(self) -> Context:
        return self.app.state.comments  # type: ignore[no-any-return]

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime  # type: ignore[no-any-return]

    async def open_article(self, article_id: str | None = None, language: str = "en") -> str:
        """Publish an article the way publish does, and wait until comments know it."""
        article_id = article_id or f"art{new_id()[:12]}"
        await self.runtime.bus.publish(ARTICLES_PUBLISHED, ArticlePublished(
            article_id=article_id, version=1, language=language, headline="A headline",
            url=f"http://site.test/{article_id}"))

        async def known() -> bool:
            async with self.runtime.sessions() as session:
                row = await session.get(KnownArticle, article_id)
                return row is not None and row.open

        await eventually(known)
        return article_id

    async def post(self, article_id: str, body: str, *, author: str | None = "Reader",
                   token: str | None = None, headers: dict[str, str] | None = None,
                   **extra: Any) -> httpx.Response:
        payload: dict[str, Any] = {"body": body, **extra}
        if author is not None:
            payload["author"] = author
        headers = {**(headers or {}), **(bearer(token) if token else {})}
        return await self.client.post(f"/v1/articles/{article_id}/comments", json=payload,
                                      headers=headers)

    async def reader(self, name: str = "Layla") -> str:
        """A new reader's token."""
        r = await self.client.post("/v1/readers", json={"display_name": name})
        assert r.status_code == 201, r.text
        return str(r.json()["token"])

    async def staff_key(self, role: str = "moderator") -> str:
        r = await self.client.post("/v1/admin/keys", json={"name": f"{role}-{new_id()[:6]}",
                                                           "role": role},
                                   headers=bearer(ADMIN_TOKEN))
        assert r.status_code == 201, r.text
        return str(r.json()["key"])

    async def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """The events relayed to the comments stream so far (payloads, oldest first)."""
        entries = await self.runtime.bus.redis.xrange(COMMENTS)
        out = [json.loads(unpack_envelope(f[b"__data__"])[0]) for _, f in entries]
        return [e for e in out if event_type is None or e["event_type"] == event_type]

    async def wait_event(self, event_type: str, **match: Any) -> dict[str, Any]:
        async def found() -> dict[str, Any] | None:
            for e in await self.events(event_type):
                if all(e.get(k) == v for k, v in match.items()):
                    return e
            return None

        return await eventually(found)  # type: ignore[no-any-return]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


MakeHarness = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make_harness(redis_url: str, database_url: str) -> AsyncIterator[MakeHarness]:
    """Build and start the app with settings overrides; everything stops after the test."""
    async with AsyncExitStack() as stack:

        async def make(**overrides: Any) -> Harness:
            fields: dict[str, Any] = {
                "redis_url": redis_url, "database_url": database_url, "dev_mode": True,
                "admin_token": ADMIN_TOKEN, "polling_interval_ms": 20, "outbox_poll_s": 0.05,
                "log_json": False, "log_level": "WARNING", "new_reader_threshold": 0,
                "rate_comment_reader": "1000/minute", "rate_comment_ip": "1000/minute",
                "rate_action_ip": "1000/minute", "rate_new_reader_ip": "1000/minute",
            }
            app = create_app(CommentsSettings(**(fields | overrides)))
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://comments.test",
                headers=CSRF))
            return Harness(app, client)

        yield make


@pytest.fixture
async def h(make_harness: MakeHarness) -> Harness:
    """The app with test defaults: every comment from a clean reader is approved."""
    return await make_harness()
