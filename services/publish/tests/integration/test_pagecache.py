"""The in-process page cache stays within its byte budget as well as its page count."""

from __future__ import annotations

from datetime import UTC, datetime

from wirestream.publish.pagestore import PageCache, PageOut, save_pages


async def test_large_pages_are_evicted_by_bytes_least_recent_first(sessions) -> None:  # type: ignore[no-untyped-def]
    pages = [PageOut(f"/en/articles/a{i}", "x" * 10_000) for i in range(10)]
    async with sessions() as s, s.begin():
        await save_pages(s, [(p, 1) for p in pages], now=datetime(2026, 1, 1, tzinfo=UTC))
    cache = PageCache(sessions, ttl_s=3600, size=1000, max_bytes=35_000)
    for p in pages:
        assert (await cache.get(p.path)) is not None
        assert cache.bytes <= 35_000
    assert cache.bytes == 30_000  # the three most recent pages
    kept = [p.path for p in pages if cache._entries.get(p.path)]
    assert kept == [p.path for p in pages[-3:]]
    cache.evict([pages[-1].path, "/never/cached"])
    assert cache.bytes == 20_000
    assert await cache.get("/missing") is None  # a miss is remembered, and costs nothing
    assert cache.bytes == 20_000
