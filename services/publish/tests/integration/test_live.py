"""The live ticker: SSE, stream ids as event ids; a reconnect with Last-Event-ID misses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from wirestream.common.events import ArticleKilled, ArticlePublished
from wirestream.common.streams import ARTICLES_PUBLISHED
from wirestream.common.testing import eventually
from wirestream.publish.live import LiveFeed, sse

from .conftest import Publish, enriched


@dataclass
class Sse:
    id: str
    event: str
    data: dict[str, Any]


class Listener:
    """An SSE client driving the ASGI app directly (httpx's ASGI transport buffers bodies)."""

    def __init__(self, app: Any, last_event_id: str | None = None) -> None:
        self.app = app
        self.headers = [(b"host", b"publish"), (b"accept", b"text/event-stream")]
        if last_event_id:
            self.headers.append((b"last-event-id", last_event_id.encode()))
        self.chunks: asyncio.Queue[bytes] = asyncio.Queue()
        self.gone = asyncio.Event()
        self.status = 0
        self._buffer = ""

    async def __aenter__(self) -> Listener:
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
                 "http_version": "1.1", "method": "GET", "scheme": "http", "path": "/live",
                 "raw_path": b"/live", "query_string": b"", "root_path": "",
                 "headers": self.headers, "client": ("127.0.0.1", 5000),
                 "server": ("publish", 80)}

        async def receive() -> dict[str, Any]:
            await self.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
            elif message["type"] == "http.response.body":
                await self.chunks.put(message.get("body", b""))

        self._task = asyncio.create_task(self.app(scope, receive, send))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.gone.set()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def events(self, count: int, within_s: float = 15) -> list[Sse]:
        out: list[Sse] = []
        async with asyncio.timeout(within_s):
            while len(out) < count:
                self._buffer += (await self.chunks.get()).decode()
                while "\n\n" in self._buffer:
                    block, self._buffer = self._buffer.split("\n\n", 1)
                    fields = dict(line.split(": ", 1) for line in block.splitlines()
                                  if ": " in line and not line.startswith(":"))
                    if "data" in fields:
                        out.append(Sse(fields["id"], fields["event"], json.loads(fields["data"])))
        return out


async def test_ticker_streams_published_items_and_resumes_after_last_event_id(
        publish: Publish) -> None:
    first, second, third = (enriched(headline=h) for h in ("One", "Two", "Three"))
    async with Listener(publish.app) as listener:
        await asyncio.sleep(0.2)  # connected: it starts from the newest entry
        await publish.publish(first)
        (seen,) = await listener.events(1)
    assert listener.status == 200
    assert seen.event == "published" and seen.data["headline"] == "One"
    assert seen.data["url"] == f"/en/articles/{first.article.article_id}"

    # While the reader is away: two more items and a kill.
    await publish.publish(second)
    await publish.page(f"/en/articles/{second.article.article_id}")
    a = first.article
    await publish.publish(third, ArticleKilled(article_id=a.article_id, agency=a.agency,
                                               uri=a.uri, version=1))
    await publish.page(f"/en/articles/{a.article_id}", status=410)
    await publish.settle()
    async with Listener(publish.app, last_event_id=seen.id) as again:
        missed = await again.events(3)
    assert [(m.event, m.data.get("headline")) for m in missed] == [
        ("published", "Two"), ("published", "Three"), ("killed", None)]
    assert missed[2].data["article_id"] == a.article_id
    ids = [seen.id, *(m.id for m in missed)]
    assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("-"))))


async def test_breaking_and_updated_items_are_named_so(publish: Publish) -> None:
    flash = enriched(headline="Flash", urgency=1)
    async with Listener(publish.app) as listener:
        await asyncio.sleep(0.2)
        await publish.publish(flash)
        (event,) = await listener.events(1)
    assert event.event == "breaking"


async def test_resume_older_than_the_buffer_reads_the_stream(redis_url: str) -> None:
    redis = aioredis.Redis.from_url(redis_url)
    from wirestream.common.envelope import entry_fields

    def item(n: int) -> ArticlePublished:
        return ArticlePublished(article_id=f"a{n}", version=1, language="en",
                                headline=f"Item {n}", url=f"/en/articles/a{n}")

    first_id = (await redis.xadd(ARTICLES_PUBLISHED, entry_fields(item(0)))).decode()
    feed = LiveFeed(redis, size=2, block_ms=100)
    task = asyncio.create_task(feed.run())
    try:
        async with asyncio.timeout(20):
            async def started() -> bool:
                return feed.floor is not None

            async def moved_on() -> bool:  # the buffer no longer reaches back to first_id
                return feed.last is not None and feed.after(first_id) is None

            await eventually(started)
            for n in range(1, 10):
                await redis.xadd(ARTICLES_PUBLISHED, entry_fields(item(n)))
            await eventually(moved_on)
            stream: AsyncIterator[str] = sse(feed, first_id)
            assert await anext(stream) == "retry: 2000\n\n"
            got = [json.loads((await anext(stream)).split("data: ", 1)[1]) for _ in range(9)]
            assert [g["article_id"] for g in got] == [f"a{n}" for n in range(1, 10)]
    finally:
        task.cancel()
        await asyncio.wait([task], timeout=10)
        await redis.aclose()
