"""Rendered pages: stored with their ETag, read back through a small in-memory cache."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .dirty import upsert
from .models import Page
from .paths import HTML
from .render.views import as_utc

T: sa.Table = Page.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class PageOut:
    """A page as rendered, before it is stored."""

    path: str
    body: str
    content_type: str = HTML
    status: int = 200


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A page as served: body encoded and validators formatted once, when it is read."""

    body: bytes
    status: int
    content_type: str
    etag: str
    last_modified: datetime  # whole seconds, UTC (what Last-Modified can say)
    validators: list[tuple[bytes, bytes]]  # ETag, Last-Modified, Cache-Control
    headers: list[tuple[bytes, bytes]]  # the validators, Content-Type and Content-Length

    @classmethod
    def of(cls, body: str, status: int, content_type: str, etag: str,
           last_modified: datetime) -> StoredPage:
        data = body.encode()
        modified = as_utc(last_modified).replace(microsecond=0)
        validators = [(b"etag", etag.encode()),
                      (b"last-modified", format_datetime(modified, usegmt=True).encode()),
                      (b"cache-control", b"public, max-age=30")]
        headers = [*validators, (b"content-type", content_type.encode()),
                   (b"content-length", str(len(data)).encode())]
        return cls(data, status, content_type, etag, modified, validators, headers)


def etag_of(body: str) -> str:
    return '"' + hashlib.blake2b(body.encode(), digest_size=12).hexdigest() + '"'


async def save_pages(session: AsyncSession, pages: Iterable[tuple[PageOut, int]], *,
                     now: datetime) -> None:
    """Store each page rendered from change ``seq`` of its key, unless a page rendered from
    a later change is already there. ``last_modified`` moves only when the bytes change."""
    rows = [{"path": p.path, "status": p.status, "content_type": p.content_type,
             "body": p.body, "etag": etag_of(p.body), "last_modified": now, "seq": seq}
            for p, seq in sorted(pages, key=lambda ps: ps[0].path)]
    if not rows:
        return
    stmt = upsert(session)(T)
    new = stmt.excluded
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[T.c.path],
        set_={"status": new.status, "content_type": new.content_type, "body": new.body,
              "etag": new.etag, "seq": new.seq,
              "last_modified": sa.case((T.c.etag == new.etag, T.c.last_modified),
                                       else_=new.last_modified)},
        where=T.c.seq <= new.seq,
    ), rows)


class PageCache:
    """Pages read in the last ``ttl_s`` seconds, least recently used dropped first.

    Pages this process stores are evicted on commit; pages another replica
    stores are served at most ``ttl_s`` late (they are cached ``max-age=30``
    downstream anyway).
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, ttl_s: float,
                 size: int, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.sessions = sessions
        self.ttl_s = ttl_s
        self.size = size
        # Pages of long articles run to tens of KB: a count alone let 2,000 of them hold
        # ~80 MB (the soak's publish memory climb).
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, tuple[float, StoredPage | None]] = OrderedDict()

    async def get(self, path: str) -> StoredPage | None:
        hit = self._entries.get(path)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            self._entries.move_to_end(path)
            return hit[1]
        async with self.sessions() as session:
            row = (await session.execute(
                sa.select(T.c.body, T.c.status, T.c.content_type, T.c.etag, T.c.last_modified)
                .where(T.c.path == path))).first()
        page = None if row is None else StoredPage.of(
            row.body, row.status, row.content_type, row.etag, row.last_modified)
        if self.ttl_s > 0 and self.size > 0:
            self._drop(path)
            self._entries[path] = (now + self.ttl_s, page)
            self.bytes += _size(page)
            while self._entries and (len(self._entries) > self.size
                                     or self.bytes > self.max_bytes):
                self.bytes -= _size(self._entries.popitem(last=False)[1][1])
        return page

    def evict(self, paths: Iterable[str]) -> None:
        for path in paths:
            self._drop(path)

    def _drop(self, path: str) -> None:
        entry = self._entries.pop(path, None)
        if entry is not None:
            self.bytes -= _size(entry[1])


def _size(page: StoredPage | None) -> int:
    return 0 if page is None else len(page.body)
