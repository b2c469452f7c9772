"""Publish as its tests run it: the real app (bus, outbox, builder, database) in this process."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from lxml import html as lxml_html
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wirestream.common.events import (
    Article,
    ArticleEnriched,
    ArticleTranslated,
    Event,
    Picture,
    Rendition,
    Tag,
)
from wirestream.common.migrations import migrated_sessions
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_ENRICHED, COMMENTS, GROUP_PUBLISH
from wirestream.common.testing import eventually, make_article
from wirestream.publish import dirty
from wirestream.publish.main import MIGRATIONS, create_app
from wirestream.publish.settings import PublishSettings

PUTIN = Tag(kind="person", id="person:vladimir-putin",
            labels={"en": "Vladimir Putin", "ar": "فلاديمير بوتين"})
XI = Tag(kind="person", id="person:xi-jinping", labels={"en": "Xi Jinping", "ar": "شي جين بينغ"})
CHINA = Tag(kind="place", id="place:CN", labels={"en": "China", "ar": "الصين"})


def rid() -> str:
    return uuid.uuid4().hex[:10]


def enriched(*, language: str = "en", tags: tuple[Tag, ...] = (), story_id: str | None = None,
             is_update: bool = False, is_correction: bool = False,
             related: tuple[str, ...] = (), **article: Any) -> ArticleEnriched:
    """An ArticleEnriched for a random article; override any article field."""
    article.setdefault("language", language)
    article.setdefault("section", "world")
    article.setdefault("summary", "What happened, in one sentence.")
    article.setdefault("pictures", (Picture(headline="Photo", description="A photo",
                                            renditions=(Rendition(href="/img/1.jpg",
                                                                  width=800),)),))
    return ArticleEnriched(article=make_article(**article), language=language, tags=tags,
                           story_id=story_id, is_update=is_update, is_correction=is_correction,
                           related=related)


def updated(event: ArticleEnriched, **changes: Any) -> ArticleEnriched:
    """The next version of ``event``'s article with ``changes`` applied."""
    flags = {k: changes.pop(k) for k in ("tags", "story_id", "is_correction") if k in changes}
    article = event.article.model_copy(update={"version": event.article.version + 1, **changes})
    return ArticleEnriched(article=article, language=event.language, is_update=True,
                           tags=flags.get("tags", event.tags),
                           story_id=flags.get("story_id", event.story_id),
                           is_correction=flags.get("is_correction", False))


def translated(source: ArticleEnriched, *, language: str, headline: str,
               engine: str = "argos") -> ArticleTranslated:
    article = Article(article_id=f"{source.article.article_id}-{language}",
                      agency=source.article.agency, uri=f"{source.article.uri}#{language}",
                      language=language, headline=headline, section=source.article.section,
                      body_html="<p>Translated body.</p>",
                      extra={"digitalSourceType": "trainedAlgorithmicMedia"})
    return ArticleTranslated(article=article, source_article_id=source.article.article_id,
                             source_language=source.language, engine=engine,
                             tags=source.tags, story_id=source.story_id)


def dom(text: str) -> Any:
    return lxml_html.fromstring(text)


@dataclass
class Publish:
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime  # type: ignore[no-any-return]

    async def publish(self, *events: Event, stream: str = ARTICLES_ENRICHED) -> None:
        await self.runtime.bus.publish_many(stream, list(events))

    async def comment(self, *events: Event) -> None:
        await self.publish(*events, stream=COMMENTS)

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.client.get(path, **kw)

    async def settled(self) -> bool:
        """Every event handled and every dirty page built."""
        redis = self.runtime.bus.redis
        for stream in (ARTICLES_ENRICHED, COMMENTS):
            if not await redis.exists(stream):
                continue
            for group in await redis.xinfo_groups(stream):
                name = group["name"].decode() if isinstance(group["name"], bytes) \
                    else group["name"]
                if name == GROUP_PUBLISH and (group["pending"] or group.get("lag")):
                    return False
        async with self.runtime.sessions() as session:
            return await dirty.backlog(session) == 0

    async def settle(self, within_s: float = 20) -> None:
        await asyncio.sleep(0.05)
        await eventually(self.settled, timeout=within_s)
        await eventually(self.settled, timeout=within_s)  # a round may have marked more

    async def page(self, path: str, status: int = 200) -> httpx.Response:
        async def ready() -> httpx.Response | None:
            r = await self.get(path)
            return r if r.status_code == status else None
        return await eventually(ready, timeout=20)  # type: ignore[no-any-return]


@asynccontextmanager
async def running(redis_url: str, database_url: str, **settings: Any) -> AsyncIterator[Publish]:
    fields: dict[str, Any] = {
        "redis_url": redis_url, "database_url": database_url, "claim_idle_ms": 1000,
        "polling_interval_ms": 50, "outbox_poll_s": 0.05, "log_json": False,
        "site_url": "https://news.example", "comments_public_url": "https://comments.example",
        "build_debounce_s": 0.02, "page_cache_s": 0.0,
    }
    fields.update(settings)
    app = create_app(PublishSettings(**fields))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://publish") as client:
            yield Publish(app, client)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a migrated publish database (no app, no bus)."""
    async with migrated_sessions(database_url, MIGRATIONS) as sessions:
        yield sessions


@pytest.fixture
async def publish(redis_url: str, database_url: str) -> AsyncIterator[Publish]:
    async with running(redis_url, database_url) as p:
        yield p


@pytest.fixture
def publish_with(redis_url: str, database_url: str) -> Callable[..., Any]:
    """``async with publish_with(**settings) as p:`` for tests that need other settings."""
    def start(**settings: Any) -> Any:
        return running(redis_url, database_url, **settings)
    return start
