"""Publish with its push channels on real Redis and a real database, plus local receivers.

Articles enter the way they do in production: an ``ArticleEnriched`` on the
enriched stream, which publish renders and announces (``ArticlePublished``),
which push fans out to subscribers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from wirestream.common.events import ArticleEnriched, ArticleKilled, Event, Tag
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_PUBLISHED, GROUP_PUSH
from wirestream.common.testing import eventually, make_article
from wirestream.publish.main import create_app
from wirestream.publish.push import Push
from wirestream.publish.push.models import Delivery
from wirestream.publish.push.settings import PushSettings
from wirestream.publish.push.webpush import generate_private_key
from wirestream.publish.settings import PublishSettings

from .receiver import Receiver

ADMIN = {"Authorization": "Bearer adm"}
SITE = "https://news.example"
VAPID_KEY = generate_private_key()


class PushTestSettings(PublishSettings, PushSettings):
    """Publish's settings with push's mixed in, as a deployment that sets both would have."""


def settings_for(redis_url: str, database_url: str, **overrides: Any) -> PushTestSettings:
    fields: dict[str, Any] = {
        "redis_url": redis_url, "database_url": database_url, "admin_token": "adm",
        "site_url": SITE, "log_json": False, "log_level": "WARNING",
        "outbox_poll_s": 0.05, "polling_interval_ms": 20,
        "push_allow_private_hosts": True, "push_allow_http": True, "push_poll_s": 0.05,
        "push_backoff_base_s": 0.05, "push_backoff_factor": 2, "push_backoff_cap_s": 0.3,
        "push_timeout_s": 2.0, "push_connect_timeout_s": 1.0, "push_max_attempts": 4,
        "vapid_private_key": VAPID_KEY, "vapid_subject": "mailto:push@news.example",
    }
    fields.update(overrides)
    return PushTestSettings(**fields)


def tag(tag_id: str, kind: str = "topic") -> Tag:
    return Tag(kind=kind, id=tag_id, labels={"en": tag_id})  # type: ignore[arg-type]


def enriched(*, tags: tuple[str, ...] = (), story_id: str | None = None, language: str = "en",
             **article: Any) -> ArticleEnriched:
    return ArticleEnriched(article=make_article(language=language, **article), language=language,
                           tags=tuple(tag(t) for t in tags), story_id=story_id)


@dataclass
class PushApp:
    app: FastAPI
    client: httpx.AsyncClient
    receiver: Receiver

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime  # type: ignore[no-any-return]

    @property
    def push(self) -> Push:
        return self.app.state.push  # type: ignore[no-any-return]

    async def subscribe(self, path: str, *, url: str | None = None,
                        **filters: Any) -> dict[str, Any]:
        r = await self.client.post("/v1/push/subscriptions", headers=ADMIN, json={
            "url": url or self.receiver.url(path), "filters": filters})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def send(self, *events: Event) -> None:
        await self.runtime.bus.publish_many(ARTICLES_ENRICHED, list(events))

    async def article(self, **fields: Any) -> ArticleEnriched:
        event = enriched(**fields)
        await self.send(event)
        return event

    async def kill(self, event: ArticleEnriched) -> None:
        a = event.article
        await self.send(ArticleKilled(article_id=a.article_id, agency=a.agency, uri=a.uri,
                                      version=a.version + 1))

    async def log(self, sub: dict[str, Any], **params: Any) -> list[dict[str, Any]]:
        r = await self.client.get(f"/v1/push/subscriptions/{sub['id']}/deliveries",
                                  headers=ADMIN, params=params)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    async def settled(self, sub: dict[str, Any], count: int = 1) -> list[dict[str, Any]]:
        """The log once ``count`` deliveries are no longer pending."""
        async def done() -> list[dict[str, Any]] | None:
            log = await self.log(sub)
            finished = [d for d in log if d["status"] != "pending"]
            return log if len(finished) >= count else None

        return await eventually(done)  # type: ignore[no-any-return]

    async def expect_metric(self, channel: str, outcome: str, value: float) -> None:
        """``wirestream_deliveries_total`` reaches ``value`` (bumped just after commit)."""
        labels = {"channel": channel, "outcome": outcome}

        async def reached() -> bool:
            got = self.runtime.registry.get_sample_value("wirestream_deliveries_total", labels)
            return (got or 0.0) == value

        await eventually(reached)

    async def delivery_rows(self, **where: Any) -> list[Delivery]:
        async with self.runtime.sessions() as session:
            q = sa.select(Delivery).filter_by(**where)
            return list((await session.scalars(q)).all())


async def _trimmer_idle(runtime: Runtime) -> bool:
    # A cancellation that lands inside the trimmer's Redis call after the bus closed the
    # client comes back as a RedisError, which the trimmer logs and sleeps on, so
    # shutdown waits out its bound for it. Its first pass ends with this sample; from
    # then on it sleeps, and cancelling a sleep works.
    labels = {"stream": ARTICLES_PUBLISHED, "group": GROUP_PUSH}
    return runtime.registry.get_sample_value("wirestream_consumer_pending", labels) is not None


async def _reap_leftovers() -> None:
    """Cancel, again, background tasks that outlived the app's shutdown.

    A cancellation that lands in a database or Redis call can come back as another
    error (or be absorbed by the driver's cleanup), and a periodic loop then carries
    on; the runtime gives up on it after 5 s, but the test's event loop would wait for
    it for ever when it closes. Cancelling again reaches it at its next await.
    """
    me = asyncio.current_task()
    for _ in range(50):
        left = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
        if not left:
            return
        for task in left:
            task.cancel()
        await asyncio.wait(left, timeout=0.2)


@asynccontextmanager
async def running(settings: PushTestSettings, receiver: Receiver) -> AsyncIterator[PushApp]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await eventually(lambda: _trimmer_idle(app.state.runtime))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://publish") as client:
            yield PushApp(app, client, receiver)
    await _reap_leftovers()


PushFactory = Callable[..., AbstractAsyncContextManager[PushApp]]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    yield r
    await r.stop()


@pytest.fixture
def make_push(redis_url: str, database_url: str, receiver: Receiver) -> PushFactory:
    return lambda **overrides: running(settings_for(redis_url, database_url, **overrides),
                                       receiver)


@pytest.fixture
async def push(make_push: PushFactory) -> AsyncIterator[PushApp]:
    async with make_push() as app:
        yield app
