"""A kill that overtakes the item it kills must still kill it.

Found by ``publish-database-down``: while publish's database was away, an
``ArticleEnriched`` failed and stayed pending; once the database was back the
batch reader handled the item's later ``ArticleKilled`` first (nothing to kill
yet: a no-op), then the claimer redelivered the ``ArticleEnriched`` and the killed
article went live. Redis Streams consumer groups redeliver failed entries after
newer ones, so every handler of a kill has to remember it (a tombstone with the
version) for an item it has not seen yet. Enrich and publish (and comments) now
keep such tombstones; this test pins it.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import redis.asyncio as aioredis

from wirestream.cli.dev import Platform
from wirestream.common.envelope import entry_fields
from wirestream.common.events import ArticleEnriched, ArticleIngested, ArticleKilled, Event
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_INGESTED
from wirestream.common.testing import eventually, make_article

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("stream", [ARTICLES_INGESTED, ARTICLES_ENRICHED],
                         ids=["kill-overtakes-at-enrich", "kill-overtakes-at-publish"])
async def test_a_kill_delivered_before_its_item_keeps_the_item_off_the_site(
        platform: Platform, stream: str) -> None:
    article = make_article(version=1, headline="Killed before it arrived")
    kill = ArticleKilled(article_id=article.article_id, agency=article.agency, uri=article.uri,
                         version=2, reason="canceled")
    item: Event = (ArticleIngested(article=article) if stream == ARTICLES_INGESTED
                   else ArticleEnriched(article=article, language="en"))
    marker = make_article(headline="Sent after both, to know they were handled")
    r = aioredis.Redis.from_url(platform.redis_url or "")
    for event in (kill, item):  # the order a claimer's redelivery produces
        await r.xadd(stream, entry_fields(event))  # type: ignore[arg-type]
    later = (ArticleIngested(article=marker) if stream == ARTICLES_INGESTED
             else ArticleEnriched(article=marker, language="en"))
    await r.xadd(stream, entry_fields(later))  # type: ignore[arg-type]
    await r.aclose()
    site = platform.url("publish")
    async with httpx.AsyncClient(timeout=10) as c:

        async def marker_live() -> bool:
            return (await c.get(f"{site}/api/articles/{marker.article_id}")).status_code == 200

        await eventually(marker_live, timeout=60)
        await asyncio.sleep(1)
        status = (await c.get(f"{site}/api/articles/{article.article_id}")).status_code
    assert status in (404, 410), f"the killed article is live ({status})"
