"""Google News sitemap."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree

from wirestream.publish.render import news_sitemap
from wirestream.publish.render.sitemap import NEWS_NS, SITEMAP_NS, news_language

NS = {"s": SITEMAP_NS, "news": NEWS_NS}


def test_only_the_last_48_hours_newest_first(site, make_item, now):
    fresh = make_item(headline="Fresh", published_at=now - timedelta(hours=1))
    edge = make_item(headline="Edge", published_at=now - timedelta(hours=48))
    stale = make_item(headline="Stale", published_at=now - timedelta(hours=48, seconds=1))
    old = make_item(headline="Old", published_at=now - timedelta(days=9))
    root = etree.fromstring(news_sitemap([edge, stale, fresh, old], site=site, now=now))

    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    assert root.nsmap["news"] == NEWS_NS
    assert root.xpath("//news:title/text()", namespaces=NS) == ["Fresh", "Edge"]
    assert root.xpath("//s:loc/text()", namespaces=NS) == [
        f"https://news.example{fresh.url}",
        f"https://news.example{edge.url}",
    ]


def test_news_entry_fields(site, make_item, now):
    item = make_item(language="ar", headline="عنوان", published_at=now)
    root = etree.fromstring(news_sitemap([item], site=site, now=now))
    (news,) = root.xpath("//news:news", namespaces=NS)
    assert news.xpath("news:publication/news:name/text()", namespaces=NS) == ["Wirestream"]
    assert news.xpath("news:publication/news:language/text()", namespaces=NS) == ["ar"]
    assert news.xpath("news:publication_date/text()", namespaces=NS) == [now.isoformat()]
    assert news.xpath("news:title/text()", namespaces=NS) == ["عنوان"]


def test_empty_sitemap_is_valid_xml(site, now):
    root = etree.fromstring(news_sitemap([], site=site, now=now))
    assert len(root) == 0


def test_google_news_language_codes():
    assert news_language("en-GB") == "en"
    assert news_language("zh-TW") == "zh-tw"
    assert news_language("ar") == "ar"
