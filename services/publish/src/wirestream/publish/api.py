"""Publish's HTTP routes: pre-rendered pages, the article JSON API and the live ticker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from redis.exceptions import RedisError

from wirestream.common.events import ArticleEnriched
from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_PUBLISHED

from .models import Page, PublishedArticle
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
    published_at: str
    updated_at: str


def _page_response(page: Page, if_none_match: str | None) -> Response:
    modified = format_datetime(as_utc(page.last_modified), usegmt=True)
    headers = {"ETag": page.etag, "Last-Modified": modified,
               "Cache-Control": "public, max-age=30"}
    if if_none_match and page.etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status, media_type=page.content_type,
                    headers=headers)


def site_router(runtime: Runtime) -> APIRouter:
    router = APIRouter()

    async def serve(path: str, if_none_match: str | None) -> Response:
        async with runtime.sessions() as session:
            page = await session.get(Page, path)
        if page is None:
            raise Problem(404, "not-found", "No such page")
        return _page_response(page, if_none_match)

    @router.get("/api/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
    async def article_json(article_id: str) -> dict[str, Any]:
        async with runtime.sessions() as session:
            row = await session.get(PublishedArticle, article_id)
        if row is None:
            raise Problem(404, "not-found", "No such article", pointer="/article_id")
        if row.state != "live":
            raise Problem(410, "gone", "Article withdrawn", "The agency killed this article.")
        event = ArticleEnriched.model_validate(row.data)
        return {
            "article_id": row.article_id, "version": row.version, "headline": row.headline,
            "language": row.language, "url": row.url,
            "tags": [{**t.model_dump(), "label": t.label(row.language)} for t in event.tags],
            "published_at": as_utc(row.published_at).isoformat(),
            "updated_at": as_utc(row.updated_at).isoformat(),
        }

    @router.get("/", include_in_schema=False)
    async def home(if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return await serve("/", if_none_match)

    @router.get("/{language}/", include_in_schema=False)
    async def language_home(language: str,
                            if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return await serve(f"/{language}/", if_none_match)

    @router.get("/{language}/articles/{article_id}", include_in_schema=False)
    async def article(language: str, article_id: str,
                      if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return await serve(f"/{language}/articles/{article_id}", if_none_match)

    @router.get("/live", include_in_schema=False)
    async def live(request: Request,
                   last_event_id: Annotated[str | None, Header()] = None) -> StreamingResponse:
        """Server-Sent Events of published items; ids are stream ids, so reconnects resume."""
        return StreamingResponse(_ticker(runtime, request, last_event_id or "$"),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return router


async def _ticker(runtime: Runtime, request: Request, last_id: str) -> AsyncIterator[str]:
    redis = runtime.bus.redis
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        try:
            reply = await redis.xread({ARTICLES_PUBLISHED: last_id}, count=100, block=10_000)
        except RedisError:
            await asyncio.sleep(1)
            continue
        if not reply:
            yield ": keep-alive\n\n"
            continue
        for entry_id, fields in reply[0][1]:
            last_id = entry_id.decode()
            data = _event_data(fields)
            if data is not None:
                yield f"id: {last_id}\nevent: {data['kind']}\ndata: {json.dumps(data)}\n\n"


def _event_data(fields: dict[bytes, bytes]) -> dict[str, Any] | None:
    try:
        envelope = json.loads(fields[b"__data__"])
        event = json.loads(envelope["data"])
    except (KeyError, ValueError, TypeError):
        return None
    if event.get("event_type") == "article.published":
        kind = "updated" if event.get("is_update") else "published"
        if (event.get("urgency") or 9) <= 2:
            kind = "breaking"
        return {"kind": kind, "article_id": event["article_id"], "headline": event["headline"],
                "url": event["url"], "language": event["language"]}
    if event.get("event_type") == "article.unpublished":
        return {"kind": "killed", "article_id": event["article_id"], "url": event["url"]}
    return None
