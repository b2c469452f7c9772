"""Related articles: enrich's picks first, then the story, then the most shared tags."""

from __future__ import annotations

from .conftest import CHINA, PUTIN, XI, Publish, dom, enriched


def related_links(text: str) -> list[str]:
    return [str(h) for h in dom(text).xpath('//section[@class="related"]//a/@href')]


async def test_more_shared_tags_first_then_the_newer_in_the_same_language(
        publish: Publish) -> None:
    three = enriched(tags=(PUTIN, XI, CHINA), headline="Three tags shared, oldest")
    one_older = enriched(tags=(PUTIN,), headline="One tag shared, older")
    one_newer = enriched(tags=(PUTIN,), headline="One tag shared, newer")
    two = enriched(tags=(PUTIN, XI), headline="Two tags shared")
    arabic = enriched(tags=(PUTIN, XI, CHINA), language="ar", headline="بوتين وشي في بكين")
    unrelated = enriched(tags=(), headline="Nothing shared")
    for event in (three, one_older, one_newer, two, arabic, unrelated):
        await publish.publish(event)  # one at a time: each newer than the one before
        await publish.settle()
    page = enriched(tags=(PUTIN, XI, CHINA), headline="The page")
    await publish.publish(page)
    await publish.settle()

    # Per tag the newest first, each place worth less than the one before: the three
    # shared tags of the oldest outweigh recency; equal tags go to the newer.
    text = (await publish.get(f"/en/articles/{page.article.article_id}")).text
    assert related_links(text) == [f"/en/articles/{e.article.article_id}"
                                   for e in (three, two, one_newer, one_older)]


async def test_enrich_picks_and_the_story_come_before_shared_tags(publish: Publish) -> None:
    tagged = enriched(tags=(PUTIN, XI), headline="Shares tags")
    in_story = enriched(tags=(), story_id="s-rel", headline="Same story")
    picked = enriched(tags=(), headline="Enrich's pick")
    for event in (tagged, in_story, picked):
        await publish.publish(event)
        await publish.settle()
    page = enriched(tags=(PUTIN, XI), story_id="s-rel", headline="The page",
                    related=(picked.article.article_id,))
    await publish.publish(page)
    await publish.settle()
    text = (await publish.get(f"/en/articles/{page.article.article_id}")).text
    assert related_links(text) == [f"/en/articles/{e.article.article_id}"
                                   for e in (picked, in_story, tagged)]
