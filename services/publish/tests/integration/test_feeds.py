"""Atom, RSS and JSON Feed per language, section, tag and story; the Google News sitemap."""

from __future__ import annotations

import pytest
from lxml import etree

from .conftest import PUTIN, Publish, enriched, translated

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "https://news.example"
PAGES = ("/en", "/en/section/world", "/en/tags/person:vladimir-putin", "/en/stories/s1")


async def _site(publish: Publish) -> tuple[list[str], list[str]]:
    items = [enriched(tags=(PUTIN,), story_id="s1", headline=f"Item {n}") for n in range(3)]
    for item in items:
        await publish.publish(item)
        await publish.page(f"/en/articles/{item.article.article_id}")
    await publish.publish(translated(items[0], language="ar", headline="مادة"))
    await publish.settle()
    urls = [f"{BASE}/en/articles/{i.article.article_id}" for i in items]
    return urls, [i.article.headline for i in items]


async def test_every_feed_parses_and_lists_the_items_newest_first(publish: Publish) -> None:
    urls, _ = await _site(publish)
    newest_first = list(reversed(urls))
    for page in PAGES:
        atom = await publish.get(f"{page}/feed.atom")
        assert atom.headers["content-type"] == "application/atom+xml; charset=utf-8", page
        doc = etree.fromstring(atom.content)
        assert doc.tag == f"{ATOM}feed"
        assert [e.findtext(f"{ATOM}id") for e in doc.iter(f"{ATOM}entry")] == newest_first
        assert doc.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}{page}/feed.atom"

        rss = await publish.get(f"{page}/feed.rss")
        assert rss.headers["content-type"] == "application/rss+xml; charset=utf-8"
        channel = etree.fromstring(rss.content).find("channel")
        assert [i.findtext("link") for i in channel.iter("item")] == newest_first
        assert channel.findtext("language") == "en"

        feed = (await publish.get(f"{page}/feed.json"))
        assert feed.headers["content-type"] == "application/feed+json; charset=utf-8"
        data = feed.json()
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert [i["url"] for i in data["items"]] == newest_first
    ar = etree.fromstring((await publish.get("/ar/feed.atom")).content)
    assert [e.findtext(f"{ATOM}title") for e in ar.iter(f"{ATOM}entry")] == ["مادة"]


async def test_feeds_parse_with_feedparser(publish: Publish) -> None:
    feedparser = pytest.importorskip("feedparser")
    urls, headlines = await _site(publish)
    for page in PAGES:
        for ext in ("atom", "rss"):
            parsed = feedparser.parse((await publish.get(f"{page}/feed.{ext}")).content)
            assert not parsed.bozo, (page, ext, parsed.get("bozo_exception"))
            assert [e.link for e in parsed.entries] == list(reversed(urls))
            assert [e.title for e in parsed.entries] == list(reversed(headlines))


async def test_news_sitemap_lists_the_last_48_hours(publish: Publish) -> None:
    urls, headlines = await _site(publish)
    r = await publish.get("/sitemap-news.xml")
    assert r.headers["content-type"] == "application/xml; charset=utf-8"
    doc = etree.fromstring(r.content)
    assert doc.tag == f"{SM}urlset"
    entries = {u.findtext(f"{SM}loc"): u for u in doc.iter(f"{SM}url")}
    assert set(urls) <= set(entries) and len(entries) == 4  # and the Arabic translation
    news = entries[urls[0]].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == headlines[0]
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Wirestream"
    assert news.findtext(f"{NEWS}publication_date")
