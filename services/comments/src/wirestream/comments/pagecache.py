"""A short-lived cache of each article's first page of comments, as response bytes.

Most readers look at the first page only, so it is worth answering from memory.
A change made through this replica (a comment posted, edited, deleted or
moderated) drops the article's pages at once, so a reader sees their own
comment on reload; changes made through other replicas, and reaction counts,
show within ``ttl_s``. Later pages (keyset cursors) are not cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

Key = tuple[str, str, int]  # article id, sort order, page size


class PageCache:
    def __init__(self, *, ttl_s: float, max_articles: int = 2048,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.max_articles = max_articles
        self.clock = clock
        self._pages: dict[str, dict[Key, tuple[bytes, float]]] = {}
        self._invalidated: dict[str, float] = {}  # article id -> when last changed here

    def get(self, key: Key) -> bytes | None:
        if self.ttl_s <= 0:
            return None
        hit = self._pages.get(key[0], {}).get(key)
        if hit is None or hit[1] <= self.clock():
            return None
        return hit[0]

    def put(self, key: Key, body: bytes, *, since: float) -> None:
        """Store ``body``, read at ``since`` (``clock()`` before the query): a change
        that invalidated the article after that instant wins over this older read."""
        if self.ttl_s <= 0 or self._invalidated.get(key[0], -1.0) >= since:
            return
        if key[0] not in self._pages and len(self._pages) >= self.max_articles:
            self._pages.pop(next(iter(self._pages)))  # the longest-cached article
        self._pages.setdefault(key[0], {})[key] = (body, since + self.ttl_s)

    def invalidate(self, article_ids: Iterable[str]) -> None:
        now = self.clock()
        for article_id in article_ids:
            self._pages.pop(article_id, None)
            self._invalidated[article_id] = now
        if len(self._invalidated) > 4 * self.max_articles:  # only recent instants matter
            cutoff = now - self.ttl_s
            self._invalidated = {a: t for a, t in self._invalidated.items() if t > cutoff}
