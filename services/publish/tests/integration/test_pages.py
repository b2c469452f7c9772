"""Every page kind is rendered when an article goes live, and served with ETag / 304."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from .conftest import CHINA, PUTIN, Publish, dom, enriched

LISTS = ("/", "/en/", "/en/section/world", "/en/tags/person:vladimir-putin", "/en/tags/place:CN",
         "/en/stories/story-1")


async def test_an_article_goes_live_on_every_page_that_lists_it(publish: Publish) -> None:
    event = enriched(tags=(PUTIN, CHINA), story_id="story-1", headline="Putin visits China",
                     urgency=3)
    url = f"/en/articles/{event.article.article_id}"
    await publish.publish(event)
    page = await publish.page(url)
    assert "Putin visits China" in page.text
    await publish.settle()
    for path in LISTS:
        r = await publish.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert url in dom(r.text).xpath("//main//a/@href"), path
    tag = dom((await publish.get("/en/tags/person:vladimir-putin")).text)
    assert tag.xpath("//h1/text()") == ["Vladimir Putin"]
    section = dom((await publish.get("/en/section/world")).text)
    assert section.xpath("//h1/text()") == ["World"]
    home = dom((await publish.get("/en/")).text)
    assert home.xpath('//section[@class="top-stories"]//a/@href')[0] == url  # urgency 3 is top


async def test_article_page_links_its_tags_section_and_ticker(publish: Publish) -> None:
    event = enriched(tags=(PUTIN,), headline="Tagged")
    await publish.publish(event)
    doc = dom((await publish.page(f"/en/articles/{event.article.article_id}")).text)
    assert doc.xpath('//nav[@class="tags"]//a/@href') == ["/en/tags/person:vladimir-putin"]
    assert doc.xpath('//a[@class="section-name"]/@href') == ["/en/section/world"]
    assert doc.xpath('//aside[@id="ticker"]/@data-sse') == ["/live"]
    assert doc.xpath('//script/@src') == ["/static/site.js"]
    assert doc.xpath('//meta[@property="og:title"]/@content') == ["Tagged"]
    assert doc.xpath('//script[@type="application/ld+json"]')


async def test_empty_site_has_front_pages_and_unknown_pages_are_404(publish: Publish) -> None:
    await publish.settle()
    assert (await publish.get("/")).status_code == 200
    assert "Nothing here yet" in (await publish.get("/en/")).text
    assert (await publish.get("/ar/")).status_code == 200
    missing = await publish.get("/en/articles/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert (await publish.get("/EN!/section/x")).status_code == 404
    robots = await publish.get("/robots.txt")
    assert "Sitemap: https://news.example/sitemap-news.xml" in robots.text


async def test_pages_answer_304_to_their_etag_and_to_if_modified_since(publish: Publish) -> None:
    event = enriched(tags=(PUTIN,))
    url = f"/en/articles/{event.article.article_id}"
    await publish.publish(event)
    await publish.page(url)
    await publish.settle()
    for path in (url, "/en/", "/en/section/world", "/en/feed.atom", "/sitemap-news.xml"):
        first = await publish.get(path)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert first.headers["cache-control"] == "public, max-age=30"
        same = await publish.get(path, headers={"If-None-Match": etag})
        assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
        listed = await publish.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
        assert listed.status_code == 304
        changed = await publish.get(path, headers={"If-None-Match": '"other"'})
        assert changed.status_code == 200
        assert (await publish.get(path, headers={"If-Modified-Since": modified})).status_code \
            == 304
        earlier = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
        assert (await publish.get(path, headers={"If-Modified-Since": earlier})).status_code \
            == 200
    head = await publish.client.head(url)
    assert head.status_code == 200 and head.headers["etag"]


async def test_rendering_the_same_bytes_again_keeps_etag_and_last_modified(
        publish: Publish) -> None:
    first = enriched(tags=(PUTIN,))
    await publish.publish(first)
    await publish.page(f"/en/articles/{first.article.article_id}")
    await publish.settle()
    before = await publish.get("/en/tags/person:vladimir-putin")
    # Another article in another tag: the home page changes, the Putin tag page does not.
    await publish.publish(enriched(tags=(CHINA,)))
    await publish.settle()
    after = await publish.get("/en/tags/person:vladimir-putin")
    assert after.headers["etag"] == before.headers["etag"]
    assert after.headers["last-modified"] == before.headers["last-modified"]
