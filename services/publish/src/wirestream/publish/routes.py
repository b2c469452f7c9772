"""The reader-facing routes: stored pages and feeds with ETag / 304, and the live ticker.

Pages are plain Starlette routes (no per-request validation or dependency
injection to pay for): the path is looked up as stored, through the page cache.
Most page requests never get here: :mod:`.fastpath` answers cache hits first.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from wirestream.common.problems import Problem

from .fastpath import not_modified
from .feedcache import SitePages
from .live import LiveFeed, sse
from .pagestore import StoredPage
from .paths import SITEMAP
from .render import SiteConfig

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PAGE_PATHS = (
    "/", "/{language}/", "/{language}/articles/{id}",
    "/{language}/section/{id}", "/{language}/tags/{id}", "/{language}/stories/{id}",
    "/{language}/feed.{fmt}", "/{language}/section/{id}/feed.{fmt}",
    "/{language}/tags/{id}/feed.{fmt}", "/{language}/stories/{id}/feed.{fmt}",
    SITEMAP,
)


def page_response(page: StoredPage, request: Request) -> Response:
    headers = {k.decode(): v.decode() for k, v in page.validators}
    if not_modified(page, request.headers.get("if-none-match"),
                    request.headers.get("if-modified-since")):
        return Response(status_code=304, headers=headers)
    return Response(page.body, status_code=page.status, media_type=page.content_type,
                    headers=headers)


def site_router(*, cache: SitePages, feed: LiveFeed, config: SiteConfig) -> APIRouter:
    router = APIRouter()

    async def page(request: Request) -> Response:
        language = request.path_params.get("language")
        if language is not None and not _LANGUAGE.match(language):
            raise Problem(404, "not-found", "No such page")
        stored = await cache.get(request.scope["path"])
        if stored is None:
            raise Problem(404, "not-found", "No such page")
        return page_response(stored, request)

    async def live(request: Request) -> StreamingResponse:
        """Server-Sent Events of published items; ids are stream ids, so reconnects resume."""
        return StreamingResponse(sse(feed, request.headers.get("last-event-id")),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def robots(_request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"User-agent: *\nAllow: /\n"
                                 f"Sitemap: {config.absolute(SITEMAP)}\n")

    router.routes.append(Route("/live", live, methods=["GET"], include_in_schema=False))
    router.routes.append(Route("/robots.txt", robots, methods=["GET"], include_in_schema=False))
    for path in PAGE_PATHS:
        router.routes.append(Route(path, page, methods=["GET", "HEAD"], include_in_schema=False))
    return router
