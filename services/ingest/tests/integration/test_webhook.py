"""Every wire format through the signed webhook, out as events on the ingested stream."""

from __future__ import annotations

import pytest

from wirestream.common.events import ArticleIngested

from .conftest import Ingest, sample

pytestmark = pytest.mark.postgres

# sample -> content type an agency would send, (uri suffix, language) of each item
FORMATS = {
    "ninjs1_en_text.json": ("application/json", [("20240315-budget-vote", "en")]),
    "ninjs2_ar_text.json": ("application/ninjs+json", [("20240318-exhibition", "ar")]),
    "g2_newsitem_en.xml": ("application/vnd.iptc.g2.newsitem+xml",
                           [("20240321:en-central-bank", "en")]),
    "g2_newsmessage.xml": ("application/xml", [("20240323:en-marathon", "en"),
                                               ("20240323:ar-marathon", "ar")]),
    "nitf_en.xml": ("application/nitf+xml", [("WNA-20240324-wildfire", "en")]),
    "rss_ar.xml": ("application/rss+xml", [("wna-ar-20240327-gold", "ar"),
                                           ("new-rail-line", "ar")]),
    "rss_en.xml": (None, [("news/heatwave", "en-us")]),
    "atom_en.xml": ("application/atom+xml", [("earliest-galaxy", "en"), ("bees", "en")]),
    "atom_ar_entry.xml": ("application/atom+xml", [("petra-discovery", "ar")]),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
async def test_each_format_is_accepted_and_ingested(ingest: Ingest, name: str) -> None:
    content_type, expected = FORMATS[name]
    agency, secret = await ingest.add_agency()
    r = await ingest.send(agency, secret, sample(name), content_type)
    assert r.status_code == 202, r.text
    items = r.json()["items"]
    assert [i["outcome"] for i in items] == ["new"] * len(expected)
    events = await ingest.wait_events(len(expected))
    assert all(isinstance(e, ArticleIngested) for e in events)
    got = [(e.article.uri, e.article.language) for e in events]  # type: ignore[attr-defined]
    for (uri, language), (suffix, want) in zip(got, expected, strict=True):
        assert uri.endswith(suffix) and language == want
    assert {e.article.agency for e in events} == {agency}  # type: ignore[attr-defined]
    assert [i["article_id"] for i in items] == [e.article.article_id for e in events]  # type: ignore[attr-defined]
    if len(items) == 1:
        assert r.json()["article_id"] == items[0]["article_id"]


async def test_agency_default_language_fills_items_without_one(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency(default_language="ar")
    r = await ingest.send(agency, secret, {"uri": "urn:x:1", "headline": "بلا لغة"})
    assert r.status_code == 202, r.text
    [event] = await ingest.wait_events(1)
    assert event.article.language == "ar"  # type: ignore[attr-defined]


async def test_html_is_sanitised_in_the_emitted_article(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    body = ('<p onclick="steal()">Safe <b>text</b></p><script>alert(1)</script>'
            '<a href="javascript:alert(2)">link</a><img src="x" onerror="alert(3)">'
            '<iframe src="https://evil.example"></iframe>')
    r = await ingest.send(agency, secret, {"uri": "urn:x:html", "headline": "HTML",
                                           "body_html": body})
    assert r.status_code == 202, r.text
    [event] = await ingest.wait_events(1)
    html = event.article.body_html  # type: ignore[attr-defined]
    assert "Safe <b>text</b>" in html
    for bad in ("script", "alert", "onclick", "onerror", "javascript:", "iframe"):
        assert bad not in html, html


async def test_one_correlation_id_follows_an_item_across_versions(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    for version in (1, 2):
        r = await ingest.send(agency, secret, {"uri": "urn:x:c", "headline": f"v{version}",
                                               "version": version})
        assert r.status_code == 202
    first, second = await ingest.wait_events(2)
    assert first.correlation_id == second.correlation_id
    assert first.event_id != second.event_id
