"""The hot path: stored pages answered before FastAPI's routing.

Pages are almost every request the site gets, and they need nothing but a
lookup: this ASGI middleware answers any page the cache has (with ETag /
Last-Modified and 304) straight from its stored bytes. Anything else, a miss
included, goes on to the app, whose routes answer 404s and outages as
problem+json.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

from .feedcache import SitePages
from .pagestore import StoredPage

PAGE = re.compile(
    r"^/(?:$|sitemap-news\.xml$|[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*/(?:$|feed\.(?:atom|rss|json)$"
    r"|(?:articles|section|tags|stories)/[^/]+(?:/feed\.(?:atom|rss|json))?$))")


def not_modified(page: StoredPage, if_none_match: str | None,
                 if_modified_since: str | None) -> bool:
    """Whether a conditional GET for ``page`` gets 304 (If-None-Match wins, RFC 9110)."""
    if page.status != 200:
        return False
    if if_none_match is not None:
        return any(t.strip().removeprefix("W/") in (page.etag, "*")
                   for t in if_none_match.split(","))
    if if_modified_since:
        try:
            return page.last_modified <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False


class PageFastPath:
    def __init__(self, app: ASGIApp, *, cache: SitePages) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") \
                or not PAGE.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            page = await self.cache.get(scope["path"])
        except (SQLAlchemyError, OSError):
            page = None  # the route tries again and answers 503 problem+json
        if page is None:
            await self.app(scope, receive, send)
            return
        inm = ims = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                inm = value.decode("latin-1")
            elif name == b"if-modified-since":
                ims = value.decode("latin-1")
        if not_modified(page, inm, ims):
            await send({"type": "http.response.start", "status": 304,
                        "headers": page.validators})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": page.status,
                    "headers": page.headers})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else page.body})
