"""Faults against the whole platform, services running as processes."""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter

import httpx
import pytest
import redis.asyncio as aioredis

from wirestream.common.envelope import unpack_envelope
from wirestream.common.streams import (
    ARTICLES_ENRICHED,
    ARTICLES_INGESTED,
    ARTICLES_PUBLISHED,
    DEAD_LETTERS,
)
from wirestream.common.testing import eventually

from ..conftest import WireClient

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def item(n: int, version: int = 1) -> dict:
    return {
        "uri": f"urn:xinhua:en:{n}", "version": str(version), "pubStatus": "usable",
        "language": "en",
        "headlines": [{"value": f"Item {n}: talks between China and Russia, version {version}"}],
        "bodies": [{"contentType": "text/plain",
                    "value": f"Beijing and Moscow held talks on trade and energy. Item {n}."}],
    }


async def published_events(redis_url: str) -> list[dict]:
    r = aioredis.Redis.from_url(redis_url)
    entries = await r.xrange(ARTICLES_PUBLISHED)
    await r.aclose()
    return [json.loads(unpack_envelope(f[b"__data__"])[0]) for _, f in entries]


async def test_sigkill_of_enrich_mid_stream_loses_and_duplicates_nothing(platform) -> None:  # type: ignore[no-untyped-def]
    wire = WireClient(platform, "xinhua", language="en")
    accepted = []
    for n in range(40):
        r = wire.send(item(n))
        assert r.status_code == 202, r.text
        accepted.append(r.json()["article_id"])
        if n == 10:
            platform.stop("enrich", sig=signal.SIGKILL, timeout=5)
        if n == 25:
            platform.start("enrich")

    async def all_published() -> bool:
        ids = [e["article_id"] for e in await published_events(platform.redis_url)]
        return set(ids) == set(accepted)

    await eventually(all_published, timeout=90, interval=0.5)
    await asyncio.sleep(2)  # let any late duplicate show itself
    counts = Counter(e["article_id"] for e in await published_events(platform.redis_url))
    assert all(c == 1 for c in counts.values()), counts
    async with httpx.AsyncClient(timeout=10) as c:
        for article_id in accepted[::7]:
            assert (await c.get(f"{platform.url('publish')}/api/articles/{article_id}")
                    ).status_code == 200


async def test_poison_entry_is_dead_lettered_and_the_pipeline_keeps_flowing(platform) -> None:  # type: ignore[no-untyped-def]
    r = aioredis.Redis.from_url(platform.redis_url)
    await r.xadd(ARTICLES_INGESTED, {"__data__": b"\x89BIN garbage", "event_type": "x"})
    await r.xadd(ARTICLES_ENRICHED, {"hello": "world"})
    wire = WireClient(platform, "afp", language="en")
    accepted = wire.send(item(1)).json()["article_id"]

    async def flowed() -> bool:
        return accepted in [e["article_id"] for e in await published_events(platform.redis_url)]

    await eventually(flowed, timeout=30)
    letters = await eventually(lambda: _letters(r, 2), timeout=30)
    assert {(f[b"stream"], f[b"reason"]) for _, f in letters} == {
        (ARTICLES_INGESTED.encode(), b"invalid"), (ARTICLES_ENRICHED.encode(), b"invalid")}
    await r.aclose()


async def test_duplicate_delivery_makes_one_page_not_two(platform) -> None:  # type: ignore[no-untyped-def]
    wire = WireClient(platform, "dpa", language="en")
    article_id = wire.send(item(7)).json()["article_id"]

    async def once() -> bool:
        return [e["article_id"] for e in await published_events(platform.redis_url)] == [article_id]

    await eventually(once, timeout=30)
    r = aioredis.Redis.from_url(platform.redis_url)
    [(_, fields)] = await r.xrange(ARTICLES_ENRICHED)
    for _ in range(3):  # the same enriched event delivered again
        await r.xadd(ARTICLES_ENRICHED, fields)
    [(_, ingested)] = await r.xrange(ARTICLES_INGESTED)
    await r.xadd(ARTICLES_INGESTED, ingested)  # and the same ingested event
    await asyncio.sleep(3)
    assert [e["article_id"] for e in await published_events(platform.redis_url)] == [article_id]
    groups = {g["name"]: g for g in await r.xinfo_groups(ARTICLES_ENRICHED)}
    assert groups[b"publish"]["pending"] == 0 and groups[b"publish"]["lag"] == 0
    assert await r.xlen(DEAD_LETTERS) == 0
    await r.aclose()


async def _letters(r: aioredis.Redis, n: int) -> list | None:
    letters = await r.xrange(DEAD_LETTERS)
    return letters if len(letters) >= n else None
