"""Picture URLs from agencies reach pages, structured data and feeds only if they are http(s)."""

from __future__ import annotations

import json

from wirestream.common.events import Picture, Rendition

from .conftest import Publish, dom, enriched

ATTACK = "javascript:alert(document.cookie)"


async def test_a_javascript_picture_href_is_never_emitted(publish: Publish) -> None:
    hostile = enriched(headline="Only a hostile picture", pictures=(
        Picture(uri=ATTACK, description="Bad", renditions=(Rendition(href=ATTACK, width=900),)),))
    mixed = enriched(headline="A hostile and a good rendition", pictures=(
        Picture(description="Mixed", renditions=(
            Rendition(href=ATTACK, width=2000),
            Rendition(href="https://img.example/good.jpg", width=800))),))
    await publish.publish(hostile, mixed)
    await publish.settle()
    pages = {path: await publish.get(path) for path in (
        f"/en/articles/{hostile.article.article_id}", f"/en/articles/{mixed.article.article_id}",
        "/", "/en/", "/en/section/world", "/en/feed.json", "/en/feed.atom", "/en/feed.rss")}
    for path, r in pages.items():
        assert r.status_code == 200, path
        assert "javascript:" not in r.text.lower(), path

    bad = dom(pages[f"/en/articles/{hostile.article.article_id}"].text)
    assert bad.xpath("//img") == [] and bad.xpath('//meta[@property="og:image"]') == []
    (ld,) = bad.xpath('//script[@type="application/ld+json"]/text()')
    assert "image" not in json.loads(ld)

    good = dom(pages[f"/en/articles/{mixed.article.article_id}"].text)
    assert good.xpath("//article//img/@src") == ["https://img.example/good.jpg"]
    assert good.xpath('//meta[@property="og:image"]/@content') == ["https://img.example/good.jpg"]
    (ld,) = good.xpath('//script[@type="application/ld+json"]/text()')
    assert json.loads(ld)["image"] == ["https://img.example/good.jpg"]
    feed = pages["/en/feed.json"].json()
    images = {i["title"]: i.get("image") for i in feed["items"]}
    assert images == {"Only a hostile picture": None,
                      "A hostile and a good rendition": "https://img.example/good.jpg"}
