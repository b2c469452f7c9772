"""A published event that outruns its enriched event waits for the article's facets."""

from __future__ import annotations

import json

from wirestream.common.events import ArticlePublished, utcnow
from wirestream.publish.push.service import PushContext, handle_events

from .conftest import SITE, PushApp, PushFactory, enriched

CTX = PushContext(site_url=SITE, max_attempts=3)


def announced(event_id: str, article_id: str) -> ArticlePublished:
    return ArticlePublished(event_id=event_id, article_id=article_id, version=1, language="en",
                            headline="Early", url=f"/en/articles/{article_id}")


async def handle(push: PushApp, *events: object) -> int:
    async with push.runtime.transaction() as tx:
        added = await handle_events(tx, list(events), ctx=CTX, now=utcnow())  # type: ignore[arg-type]
    push.push.worker.wake()
    return added


async def test_published_before_enriched_waits_for_the_tags(push: PushApp) -> None:
    await push.subscribe("/tagged", tags=["medtop:20000001"])
    article = enriched(tags=("medtop:20000001",))
    early = announced("early-1", article.article.article_id)
    assert await handle(push, early) == 0  # parked: its tags are not known yet
    assert await handle(push, article) == 1  # the facets arrive and release it
    [req] = await push.receiver.wait("/tagged")
    body = json.loads(req.body)
    assert body["data"]["event_id"] == "early-1"
    assert body["data"]["tags"] == ["medtop:20000001"]


async def test_parked_events_go_out_anyway_after_a_while(make_push: PushFactory) -> None:
    async with make_push(push_facets_wait_s=0.2) as push:
        await push.subscribe("/everything")
        await push.subscribe("/tagged", tags=["medtop:20000001"])
        assert await handle(push, announced("early-2", "art-never-enriched")) == 0
        [req] = await push.receiver.wait("/everything")
        assert json.loads(req.body)["data"]["article_id"] == "art-never-enriched"
        assert "/tagged" not in push.receiver.received  # no tags known, no tag match
