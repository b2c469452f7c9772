"""The page builder: renders dirty list pages, feeds, the sitemap and other articles' pages.

It wakes when a change commits (or every ``poll_s``, for changes other
replicas made), waits ``debounce_s`` so a burst of articles is rendered once,
claims a round of keys, renders each from committed state and stores the
pages. After each round it rests so that rounds take at most ``duty`` of its
time: under a steady wire the same tag, section and front pages change in
every round, and rendering them as often as rounds can run would take the CPU
the article handlers need (articles go live in the handler, not here). Lists
then lag by a few rounds' length under load, and by ``debounce_s`` when quiet.
A failed round leaves its keys dirty; their lease runs out and they are claimed
again (here or on another replica).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import UTC, datetime

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from . import dirty
from .article_page import render_articles, save_links
from .keys import Key
from .lists import render_list
from .live import cancelled
from .pagestore import PageCache, PageOut, save_pages
from .site import Site

log = logging.getLogger(__name__)


class PageBuilder:
    def __init__(self, *, sessions: async_sessionmaker[AsyncSession], site: Site,
                 cache: PageCache | None = None, debounce_s: float = 0.2, poll_s: float = 1.0,
                 batch: int = 200, lease_s: float = 30.0, duty: float = 1.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 gate: AbstractAsyncContextManager[object] | None = None) -> None:
        self.sessions = sessions
        # Held around each write transaction (see wirestream.publish.writes).
        self.gate = gate if gate is not None else nullcontext()
        self.site = site
        self.cache = cache
        self.debounce_s = debounce_s
        self.poll_s = poll_s
        self.batch = batch
        self.lease_s = lease_s
        if not 0 < duty <= 1:
            raise ValueError("duty must be in (0, 1]")
        self.duty = duty
        self.clock = clock
        self.rounds = 0
        self.pages = 0  # pages stored so far (for benches and tests)
        self._wake = asyncio.Event()

    def notify(self) -> None:
        self._wake.set()

    async def build_once(self) -> int:
        """Claim and render one round of dirty keys; returns how many were claimed."""
        async with self.gate:
            claimed = await dirty.claim(self.sessions, now=self.clock(), limit=self.batch,
                                        lease_s=self.lease_s)
        if not claimed:
            return 0
        started = time.perf_counter()
        now = self.clock()
        async with self.sessions() as session:
            # Render from committed state first, then write: the write lock (and the
            # gate, which the article handlers wait on) is held only for the writes.
            # The seqs keep a render from an older change from winning.
            async with session.begin():
                pages, links = await self._render(session, sorted(claimed), now)
            async with self.gate:
                await self._store(session, claimed, pages, links, now)
            written = [p.path for ps in pages.values() for p in ps]
        if self.cache is not None:
            self.cache.evict(written)
        self.rounds += 1
        self.pages += len(written)
        log.debug("pages built", extra={"keys": len(claimed), "pages": len(written),
                                        "seconds": round(time.perf_counter() - started, 4)})
        return len(claimed)

    @staticmethod
    async def _store(session: AsyncSession, claimed: dict[str, int],
                     pages: dict[str, list[PageOut]], links: dict[str, frozenset[str]],
                     now: datetime) -> None:
        async with session.begin():
            done = {k: claimed[k] for k in pages}
            await dirty.finish(session, done)
            await save_pages(session, [(p, done[k]) for k in sorted(pages) for p in pages[k]],
                             now=now)
            await save_links(session, links)

    async def _render(self, session: AsyncSession, claimed: list[str], now: datetime,
                      ) -> tuple[dict[str, list[PageOut]], dict[str, frozenset[str]]]:
        """The pages of each key that rendered; a key that failed is left out (and stays
        dirty, to be tried again when its lease runs out)."""
        pages: dict[str, list[PageOut]] = {}
        articles = [k for k in claimed if k.startswith("article:")]
        rendered = await render_articles(session, [k.removeprefix("article:") for k in articles],
                                         site=self.site)
        for text in articles:
            page = rendered.get(text.removeprefix("article:"))
            pages[text] = [page.page] if page else []
        for text in claimed:
            if text in pages:
                continue
            # SQLite calls do not yield (they run on the loop): let the article handlers
            # in between list pages rather than after the whole round.
            await asyncio.sleep(0)
            try:
                pages[text] = await render_list(session, Key.parse(text), site=self.site,
                                                now=now)
            except SQLAlchemyError:
                raise
            except Exception:  # one broken page must not stop the site
                log.exception("page render failed", extra={"key": text})
        return pages, {i: p.links for i, p in rendered.items()}

    async def _rest(self, round_s: float) -> None:
        """Pause after a round of ``round_s`` so rounds take at most ``duty`` of the time."""
        rest = round_s * (1 - self.duty) / self.duty
        if rest > 0:
            await asyncio.sleep(rest)

    async def run(self) -> None:
        """Build until cancelled; database outages are retried with backoff."""
        backoff = self.poll_s
        while True:
            try:
                while True:
                    started = time.perf_counter()
                    claimed = await self.build_once()
                    if claimed:
                        await self._rest(time.perf_counter() - started)
                    if claimed < self.batch:
                        break
                backoff = self.poll_s
            except (SQLAlchemyError, RedisError, OSError) as exc:
                cancelled()
                log.warning("page build failed, retrying", extra={"error": repr(exc)})
                backoff = min(backoff * 2, 10.0)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            except TimeoutError:
                continue
            self._wake.clear()
            await asyncio.sleep(self.debounce_s)  # let the burst finish committing
