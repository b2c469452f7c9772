"""A kill is remembered for an article enrich has not seen yet: the kill can overtake it."""

from __future__ import annotations

from typing import Any

from wirestream.common.events import ArticleIngested, ArticleKilled, ArticleUpdated
from wirestream.enrich.models import EnrichedArticle, KilledArticle

from .items import FLOODS, PUTIN_ERDOGAN, XINHUA_CALL, article


def enriched_ids(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(e["article"]["article_id"], e["article"]["version"])
            for e in events if e["event_type"] == "article.enriched"]


async def test_an_item_after_its_kill_is_dropped_until_a_higher_version(enrich) -> None:  # type: ignore[no-untyped-def]
    doomed, marker, later = article(XINHUA_CALL), article(FLOODS), article(PUTIN_ERDOGAN)
    kill = ArticleKilled(article_id=doomed.article_id, agency=doomed.agency, uri=doomed.uri,
                         version=2, reason="canceled")
    v2 = doomed.model_copy(update={"version": 2})
    withheld = doomed.model_copy(update={"version": 3, "pub_status": "withheld"})
    async with enrich() as e:
        # The order a redelivery produces: the kill, then the item (and a late copy of
        # the killed version), then something to show both were handled.
        await e.publish(kill, ArticleIngested(article=doomed),
                        ArticleUpdated(article=v2, previous_version=1),
                        ArticleUpdated(article=withheld, previous_version=2),
                        ArticleIngested(article=marker))
        events = await e.wait_for(lambda ev: (marker.article_id, 1) in enriched_ids(ev) and ev)
        async with e.runtime.sessions() as session:
            row = await session.get(EnrichedArticle, doomed.article_id)
            tomb = await session.get(KilledArticle, doomed.article_id)
        # The agency puts it back with a higher, usable version after the kill.
        v4 = doomed.model_copy(update={"version": 4, "headline": "Reinstated"})
        await e.publish(ArticleUpdated(article=v4, previous_version=3),
                        ArticleIngested(article=later))
        after = await e.wait_for(lambda ev: (later.article_id, 1) in enriched_ids(ev) and ev)
        async with e.runtime.sessions() as session:
            revived = await session.get(EnrichedArticle, doomed.article_id)
    assert [i for i in enriched_ids(events) if i[0] == doomed.article_id] == []
    # Forwarded all the same, so publish remembers the kill too.
    assert [k["article_id"] for k in events if k["event_type"] == "article.killed"] \
        == [doomed.article_id]
    assert row is None and tomb is not None and tomb.version == 2
    assert [i for i in enriched_ids(after) if i[0] == doomed.article_id] \
        == [(doomed.article_id, 4)]
    assert revived is not None and not revived.killed and revived.version == 4


async def test_a_kill_of_a_stored_item_covers_the_versions_it_had(enrich) -> None:  # type: ignore[no-untyped-def]
    item, marker = article(XINHUA_CALL), article(FLOODS)
    v3 = item.model_copy(update={"version": 3})
    async with enrich() as e:
        await e.publish(ArticleUpdated(article=v3, previous_version=1))
        await e.wait_for(lambda ev: (item.article_id, 3) in enriched_ids(ev))
        # A stale kill (version 2) still kills; the item's v1 and v3 come again late.
        await e.publish(ArticleKilled(article_id=item.article_id, agency=item.agency,
                                      uri=item.uri, version=2),
                        ArticleIngested(article=item),
                        ArticleUpdated(article=v3, previous_version=1),
                        ArticleIngested(article=marker))
        events = await e.wait_for(lambda ev: (marker.article_id, 1) in enriched_ids(ev) and ev)
        async with e.runtime.sessions() as session:
            row = await session.get(EnrichedArticle, item.article_id)
            tomb = await session.get(KilledArticle, item.article_id)
    assert [i for i in enriched_ids(events) if i[0] == item.article_id] == [(item.article_id, 3)]
    assert row is not None and row.killed
    assert tomb is not None and tomb.version == 3  # what it had, above the kill's own
