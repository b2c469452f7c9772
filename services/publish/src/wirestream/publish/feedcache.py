"""Feeds, rendered when asked for and kept while their list page is unchanged.

A feed shows what its list page shows, so it is rendered from the same
listing, on the first request after the page changed (its ETag is the key),
rather than on every change: most lists change far more often than feed
readers poll them. ``Last-Modified`` is the list page's.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .keys import Key
from .lists import listing, render_feed
from .pagestore import PageCache, StoredPage, etag_of
from .site import Site

FEED = re.compile(
    r"^(?P<page>/(?P<lang>[^/]+)/(?:(?P<kind>section|tags|stories)/(?P<name>[^/]+)/)?)"
    r"feed\.(?P<ext>atom|rss|json)$")
KINDS = {None: "home", "section": "section", "tags": "tag", "stories": "story"}


class FeedCache:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], pages: PageCache, *,
                 site: Site, size: int = 500) -> None:
        self.sessions = sessions
        self.pages = pages
        self.site = site
        self.size = size
        self._feeds: OrderedDict[str, tuple[str, StoredPage]] = OrderedDict()
        self._rendering: dict[tuple[str, str], asyncio.Task[StoredPage]] = {}

    async def get(self, path: str) -> StoredPage | None:
        m = FEED.match(path)
        if m is None:
            return None
        page_path = m["page"] if m["kind"] is None else m["page"].rstrip("/")
        page = await self.pages.get(page_path)
        if page is None or page.status != 200:
            return None
        hit = self._feeds.get(path)
        if hit is not None and hit[0] == page.etag:
            self._feeds.move_to_end(path)
            return hit[1]
        # One render per feed and page version, however many readers ask at once.
        job = (path, page.etag)
        task = self._rendering.get(job)
        if task is None:
            key = Key(KINDS[m["kind"]], m["lang"], m["name"] or "")
            task = asyncio.ensure_future(self._render(key, m["ext"], path, page))
            self._rendering[job] = task
            task.add_done_callback(lambda _t: self._rendering.pop(job, None))
        feed = await asyncio.shield(task)
        self._feeds[path] = (page.etag, feed)
        while len(self._feeds) > self.size:
            self._feeds.popitem(last=False)
        return feed

    async def _render(self, key: Key, ext: str, path: str, page: StoredPage) -> StoredPage:
        async with self.sessions() as session:
            found = await listing(session, key, site=self.site)
        out = render_feed(found, ext, path, site=self.site)
        return StoredPage.of(out.body, 200, out.content_type, etag_of(out.body),
                             page.last_modified)


class SitePages:
    """Every page the site serves by path: stored pages, and feeds."""

    def __init__(self, pages: PageCache, feeds: FeedCache) -> None:
        self.pages = pages
        self.feeds = feeds

    async def get(self, path: str) -> StoredPage | None:
        if path.endswith((".atom", ".rss", ".json")) and FEED.match(path):
            return await self.feeds.get(path)
        return await self.pages.get(path)
