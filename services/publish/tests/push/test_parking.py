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


async def test_one_batch_of_many_articles_in_both_orders(push: PushApp) -> None:
    """A batch's facets rows are taken together: each article still pairs its own
    enriched and published events, whichever of the two comes first in the batch."""
    await push.subscribe("/tagged", tags=["medtop:20000001"])
    articles = [enriched(tags=("medtop:20000001",)) for _ in range(4)]
    early = [announced(f"early-batch-{n}", a.article.article_id)
             for n, a in enumerate(articles)]
    # Articles 0 and 1: published first; 2 and 3: enriched first; all in one batch.
    batch = [early[0], early[1], articles[0], articles[2], articles[1], early[2], early[3],
             articles[3]]
    assert await handle(push, *batch) == 4
    received = await push.receiver.wait("/tagged", count=4)
    bodies = sorted((json.loads(r.body)["data"] for r in received), key=lambda d: d["event_id"])
    assert [b["event_id"] for b in bodies] == [f"early-batch-{n}" for n in range(4)]
    assert [b["article_id"] for b in bodies] == [a.article.article_id for a in articles]
    assert all(b["tags"] == ["medtop:20000001"] for b in bodies)
    assert await handle(push, *batch) == 0  # redelivered: nothing twice
