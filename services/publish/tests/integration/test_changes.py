"""An update re-renders every page that shows the article; a kill takes it off all of them."""

from __future__ import annotations

from .conftest import CHINA, PUTIN, XI, Publish, dom, enriched, translated, updated

EVERYWHERE = ("/", "/en/", "/en/section/world", "/en/tags/person:vladimir-putin",
              "/en/stories/s1", "/en/feed.atom", "/en/feed.rss", "/en/feed.json",
              "/en/section/world/feed.atom", "/en/tags/person:vladimir-putin/feed.rss",
              "/en/stories/s1/feed.json", "/sitemap-news.xml")


async def test_an_update_rerenders_every_page_showing_the_article(publish: Publish) -> None:
    first = enriched(tags=(PUTIN, CHINA), story_id="s1", headline="Talks begin in Beijing")
    other = enriched(tags=(PUTIN, CHINA), headline="Another Putin item", related=(
        first.article.article_id,))
    await publish.publish(first, other)
    await publish.settle()
    other_url = f"/en/articles/{other.article.article_id}"
    assert "Talks begin in Beijing" in (await publish.get(other_url)).text  # a related link
    for path in EVERYWHERE:
        assert "Talks begin in Beijing" in (await publish.get(path)).text, path

    await publish.publish(updated(first, headline="Talks end in Beijing", tags=(PUTIN, XI),
                                  correction_note="An earlier version misnamed the city.",
                                  is_correction=True))
    await publish.settle()
    for path in EVERYWHERE:
        text = (await publish.get(path)).text
        assert "Talks end in Beijing" in text and "Talks begin" not in text, path
    assert "Talks end in Beijing" in (await publish.get(other_url)).text
    page = dom((await publish.get(f"/en/articles/{first.article.article_id}")).text)
    assert page.xpath('//aside[contains(@class, "notice-correction")]//text()')[-1].strip() \
        == "An earlier version misnamed the city."
    assert page.xpath('//span[@class="updated"]')
    # It left the China tag and joined the Xi tag.
    assert "Talks end" not in (await publish.get("/en/tags/place:CN")).text
    assert "Talks end" in (await publish.get("/en/tags/person:xi-jinping")).text


async def test_an_older_version_is_ignored(publish: Publish) -> None:
    first = enriched(headline="Version one")
    second = updated(first, headline="Version two")
    await publish.publish(second)
    await publish.settle()
    await publish.publish(first)
    await publish.settle()
    assert "Version two" in (await publish.get(f"/en/articles/{first.article.article_id}")).text


async def test_a_kill_answers_410_and_takes_the_article_off_every_list(publish: Publish) -> None:
    from wirestream.common.events import ArticleKilled

    doomed = enriched(tags=(PUTIN,), story_id="s1", headline="Doomed item")
    keeper = enriched(tags=(PUTIN,), story_id="s1", headline="Keeper item",
                      related=(doomed.article.article_id,))
    translation = translated(doomed, language="ar", headline="مادة محكوم عليها")
    await publish.publish(doomed, keeper, translation)
    await publish.settle()
    keeper_url = f"/en/articles/{keeper.article.article_id}"
    assert "Doomed item" in (await publish.get(keeper_url)).text
    a = doomed.article
    await publish.publish(ArticleKilled(article_id=a.article_id, agency=a.agency, uri=a.uri,
                                        version=a.version))
    gone = await publish.page(f"/en/articles/{a.article_id}", status=410)
    assert "no longer available" in gone.text
    assert (await publish.get(f"/api/articles/{a.article_id}")).status_code == 410
    # The machine translation goes with its original.
    await publish.page(f"/ar/articles/{translation.article.article_id}", status=410)
    await publish.settle()
    for path in (*EVERYWHERE, "/ar/", "/ar/feed.atom", "/ar/stories/s1", keeper_url):
        text = (await publish.get(path)).text
        assert "Doomed item" not in text and "مادة محكوم عليها" not in text, path
        assert a.article_id not in text, path
    assert "Keeper item" in (await publish.get("/en/stories/s1")).text
