"""Publish's JSON API: an article and a story as the site shows them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from wirestream.common.events import ArticleEnriched
from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime

from . import stories
from .models import KilledArticle, PublishedArticle
from .render.views import as_utc


class TagOut(BaseModel):
    kind: str
    id: str
    label: str
    labels: dict[str, str]
    confidence: float


class ArticleOut(BaseModel):
    article_id: str
    version: int
    headline: str
    language: str
    url: str
    tags: list[TagOut]
    story_id: str | None = None
    source_article_id: str | None = None
    published_at: str
    updated_at: str


class StoryItemOut(BaseModel):
    article_id: str
    headline: str
    language: str
    url: str
    published_at: str
    translations: list[dict[str, str]]


class StoryOut(BaseModel):
    story_id: str
    title: str
    sources: list[str]
    item_count: int
    languages: list[str]
    urls: dict[str, str]
    items: list[StoryItemOut]


def api_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
    async def article_json(article_id: str) -> dict[str, Any]:
        async with runtime.sessions() as session:
            row = await session.get(PublishedArticle, article_id)
            # Killed before it ever came: gone, not unknown.
            killed = row is None and await session.get(KilledArticle, article_id) is not None
        if row is None and not killed:
            raise Problem(404, "not-found", "No such article", pointer="/article_id")
        if row is None or row.state != "live":
            raise Problem(410, "gone", "Article withdrawn", "The agency killed this article.")
        event = ArticleEnriched.model_validate(row.data)
        return {
            "article_id": row.article_id, "version": row.version, "headline": row.headline,
            "language": row.language, "url": row.url, "story_id": row.story_id,
            "source_article_id": row.source_article_id,
            "tags": [{**t.model_dump(), "label": t.label(row.language)} for t in event.tags],
            "published_at": as_utc(row.published_at).isoformat(),
            "updated_at": as_utc(row.updated_at).isoformat(),
        }

    @router.get("/stories/{story_id}", response_model=StoryOut, tags=["stories"])
    async def story_json(story_id: str) -> dict[str, Any]:
        async with runtime.sessions() as session:
            found = await stories.summary(session, story_id)
        if found is None:
            raise Problem(404, "not-found", "No such story", pointer="/story_id")
        return found

    return router
