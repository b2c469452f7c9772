"""The live ticker: Server-Sent Events of published, updated, breaking and killed items.

One reader per process follows ``wirestream:articles:published`` and keeps the
last entries in memory; every SSE client is served from that buffer, so a
thousand readers cost one Redis connection. Event ids are stream ids: a client
reconnecting with ``Last-Event-ID`` resumes right after it, from the buffer or,
when the gap is older than the buffer, from the stream itself (``XRANGE``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from bisect import bisect_right
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from wirestream.common.envelope import unpack_envelope
from wirestream.common.streams import ARTICLES_PUBLISHED

log = logging.getLogger(__name__)

StreamId = tuple[int, int]
_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
BREAKING_URGENCY = 2


def parse_id(text: str) -> StreamId:
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def valid_id(text: str | None) -> bool:
    return bool(text and _ID.match(text))


def sse_text(entry_id: str, fields: dict[bytes, bytes]) -> str | None:
    """The SSE message for one stream entry, or None for entries readers do not see."""
    try:
        payload, _headers = unpack_envelope(fields[b"__data__"])
        event: dict[str, Any] = json.loads(payload)
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("unreadable ticker entry", extra={"id": entry_id, "error": repr(exc)})
        return None
    if event.get("event_type") == "article.published":
        kind = "updated" if event.get("is_update") else "published"
        if (event.get("urgency") or 9) <= BREAKING_URGENCY:
            kind = "breaking"
        data = {"kind": kind, "article_id": event["article_id"], "headline": event["headline"],
                "url": event["url"], "language": event["language"]}
    elif event.get("event_type") == "article.unpublished":
        data = {"kind": "killed", "article_id": event["article_id"], "url": event["url"]}
    else:
        return None
    return f"id: {entry_id}\nevent: {data['kind']}\ndata: {json.dumps(data)}\n\n"


def cancelled() -> None:
    """Re-raise a cancellation that a client library turned into its own error
    (redis-py does, for a blocking read): a loop that retries errors must still stop."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class LiveFeed:
    """Follows the published stream; holds every entry after ``floor`` (up to ``size``)."""

    def __init__(self, redis: Redis, *, stream: str = ARTICLES_PUBLISHED, size: int = 2000,
                 block_ms: int = 2000) -> None:
        # ``block_ms`` stays under the client's socket timeout (redis-py: 5 s).
        self.redis = redis
        self.stream = stream
        self.size = size
        self.block_ms = block_ms
        self.floor: StreamId | None = None  # None until the reader has started
        self.last: str | None = None
        self._ids: list[StreamId] = []
        self._entries: list[tuple[str, str | None]] = []
        self.tick = asyncio.Event()  # replaced (after being set) whenever entries arrive

    async def head(self) -> str:
        """The id of the newest entry: a new client starts after it."""
        if self.last is not None:
            return self.last
        newest: Any = await self.redis.xrevrange(self.stream, count=1)
        return newest[0][0].decode() if newest else "0-0"

    def after(self, cursor: str) -> list[tuple[str, str | None]] | None:
        """The entries after ``cursor``, or None if the buffer may not hold them all."""
        key = parse_id(cursor)
        if self.floor is None or key < self.floor:
            return None
        return self._entries[bisect_right(self._ids, key):]

    async def read_range(self, cursor: str, count: int = 500) -> list[tuple[str, str | None]]:
        """Entries after ``cursor`` straight from the stream."""
        rows: Any = await self.redis.xrange(self.stream, min=f"({cursor}", count=count)
        return [(i.decode(), sse_text(i.decode(), f)) for i, f in rows]

    def _add(self, rows: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        for raw_id, fields in rows:
            entry_id = raw_id.decode()
            self._ids.append(parse_id(entry_id))
            self._entries.append((entry_id, sse_text(entry_id, fields)))
            self.last = entry_id
        if len(self._ids) > 2 * self.size:  # drop the oldest half in one go
            cut = len(self._ids) - self.size
            self.floor = self._ids[cut - 1]
            del self._ids[:cut], self._entries[:cut]
        tick, self.tick = self.tick, asyncio.Event()
        tick.set()

    async def run(self) -> None:
        """Follow the stream until cancelled; a Redis outage is retried."""
        while True:
            try:
                if self.floor is None:
                    start = await self.head()
                    self.floor, self.last = parse_id(start), start
                reply: Any = await self.redis.xread({self.stream: self.last or "0-0"}, count=500,
                                               block=self.block_ms)
            except RedisError as exc:
                cancelled()
                log.warning("live feed lost Redis, retrying", extra={"error": repr(exc)})
                await asyncio.sleep(1.0)
                continue
            if reply:
                self._add(reply[0][1])


async def sse(feed: LiveFeed, last_event_id: str | None, *,
              keepalive_s: float = 15.0) -> AsyncIterator[str]:
    """One client's event stream, starting after ``last_event_id`` (else from now)."""
    yield "retry: 2000\n\n"
    cursor = last_event_id if valid_id(last_event_id) else await feed.head()
    while True:
        tick = feed.tick  # taken before reading, so an arrival in between is not missed
        entries = feed.after(cursor or "0-0")
        if entries is None:
            entries = await feed.read_range(cursor or "0-0")
        if entries:
            for entry_id, text in entries:
                cursor = entry_id
                if text is not None:
                    yield text
            continue
        try:
            await asyncio.wait_for(tick.wait(), timeout=keepalive_s)
        except TimeoutError:
            yield ": keep-alive\n\n"
