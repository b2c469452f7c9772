"""Story pages (count, order, sources) and translations linked both ways."""

from __future__ import annotations

import asyncio

from wirestream.common.events import StoryChanged

from .conftest import CHINA, PUTIN, Publish, dom, enriched, translated


async def test_story_page_lists_its_items_in_time_order_with_sources(publish: Publish) -> None:
    items = [enriched(tags=(PUTIN, CHINA), headline=h, agency=agency, info_sources=(agency,))
             for h, agency in (("First call", "RT"), ("Second call", "Xinhua"),
                               ("Third call", "RT"))]
    for item in items:  # one at a time, so their published_at differ
        await publish.publish(item)
        await publish.page(f"/en/articles/{item.article.article_id}")
        await asyncio.sleep(0.01)
    ids = tuple(i.article.article_id for i in items)
    await publish.publish(StoryChanged(story_id="call", title="Putin and Xi talk",
                                       article_ids=(ids[2], ids[0], ids[1]),
                                       sources=("RT", "Xinhua")))
    await publish.settle()
    doc = dom((await publish.get("/en/stories/call")).text)
    assert doc.xpath("//h1/text()") == ["Putin and Xi talk"]
    assert doc.xpath('//p[@class="kicker"]/text()') == ["Story · 3 items"]
    assert "RT + Xinhua" in doc.xpath('string(//p[contains(@class, "sources")])')
    assert doc.xpath('//ol[contains(@class, "timeline")]//h3/a/text()') == [
        "First call", "Second call", "Third call"]
    # Every member's page links the story, and list cards show the count.
    page = dom((await publish.get(f"/en/articles/{ids[1]}")).text)
    assert page.xpath('//aside[@class="story-box"]//a/@href') == ["/en/stories/call"]
    assert "Putin and Xi talk" in page.xpath('string(//aside[@class="story-box"])')
    home = dom((await publish.get("/en/")).text)
    assert home.xpath('//a[@class="story-link"]/@href')[0] == "/en/stories/call"
    story = (await publish.get("/api/stories/call")).json()
    assert story["item_count"] == 3 and story["sources"] == ["RT", "Xinhua"]
    assert [i["article_id"] for i in story["items"]] == list(ids)
    assert story["urls"] == {"en": "/en/stories/call"}
    assert (await publish.get("/api/stories/nope")).status_code == 404

    # The story loses an item: pages follow.
    await publish.publish(StoryChanged(story_id="call", title="Putin and Xi talk",
                                       article_ids=ids[:2], sources=("RT", "Xinhua")))
    await publish.settle()
    doc = dom((await publish.get("/en/stories/call")).text)
    assert doc.xpath('//p[@class="kicker"]/text()') == ["Story · 2 items"]
    assert "Third call" not in (await publish.get("/en/stories/call")).text
    assert not dom((await publish.get(f"/en/articles/{ids[2]}")).text).xpath(
        '//aside[@class="story-box"]')


async def test_story_from_enriched_story_ids_alone(publish: Publish) -> None:
    a = enriched(story_id="s9", headline="Alpha", agency="RT", info_sources=("RT",))
    await publish.publish(a)
    await publish.page(f"/en/articles/{a.article.article_id}")
    b = enriched(story_id="s9", headline="Beta", agency="Xinhua", info_sources=("Xinhua",))
    await publish.publish(b)
    await publish.settle()
    doc = dom((await publish.get("/en/stories/s9")).text)
    assert doc.xpath('//p[@class="kicker"]/text()') == ["Story · 2 items"]
    assert "RT + Xinhua" in doc.xpath('string(//p[contains(@class, "sources")])')
    # The first item's page was rendered again to show the story it is now part of.
    first = dom((await publish.get(f"/en/articles/{a.article.article_id}")).text)
    assert first.xpath('//aside[@class="story-box"]//a/@href') == ["/en/stories/s9"]


async def test_translations_are_linked_both_ways(publish: Publish) -> None:
    original = enriched(tags=(PUTIN,), headline="Putin speaks", story_id="st")
    await publish.publish(original)
    await publish.page(f"/en/articles/{original.article.article_id}")
    mt = translated(original, language="ar", headline="بوتين يتحدث", engine="argos-1.9")
    await publish.publish(mt)
    ar_url = f"/ar/articles/{mt.article.article_id}"
    en_url = f"/en/articles/{original.article.article_id}"
    ar = dom((await publish.page(ar_url)).text)
    await publish.settle()
    en = dom((await publish.get(en_url)).text)

    assert en.xpath('//link[@rel="alternate"][@hreflang="ar"]/@href') == [
        f"https://news.example{ar_url}"]
    assert en.xpath('//nav[@class="lang-switch"]//a/@href') == [ar_url]
    assert ar.xpath('//link[@rel="alternate"][@hreflang="en"]/@href') == [
        f"https://news.example{en_url}"]
    assert ar.xpath('//nav[@class="lang-switch"]//a/@href') == [en_url]
    notice = ar.xpath('string(//p[contains(@class, "notice-mt")])')
    assert "argos-1.9" in notice and "الإنجليزية" in notice  # from English, by the engine
    assert ar.xpath("/html/@dir") == ["rtl"] and ar.xpath("/html/@lang") == ["ar"]
    assert ar.xpath('//nav[@class="tags"]//a/text()') == ["فلاديمير بوتين"]
    assert not en.xpath('//p[contains(@class, "notice-mt")]')
    # The translation is an Arabic article of its own on the Arabic lists.
    assert ar_url in (await publish.get("/ar/")).text
    assert ar_url in (await publish.get("/ar/tags/person:vladimir-putin")).text
    assert ar_url in (await publish.get("/ar/feed.atom")).text
    # The Arabic story page shows the item in Arabic.
    assert ar_url in (await publish.get("/ar/stories/st")).text
    api = (await publish.get(f"/api/articles/{mt.article.article_id}")).json()
    assert api["source_article_id"] == original.article.article_id
