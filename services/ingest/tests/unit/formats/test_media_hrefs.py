"""Rendition hrefs: only absolute http(s) URLs survive, in every format that carries pictures."""

from __future__ import annotations

import json

import pytest

from wirestream.ingest.formats import parse_wire
from wirestream.ingest.formats.values import web_url

GOOD = ["https://media.wna.example/a.jpg", "http://media.wna.example:8080/b.jpg?w=1",
        "HTTPS://Media.WNA.example/c.jpg"]
BAD = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
       "data:image/svg+xml;base64,PHN2Zz4=", "file:///etc/passwd", "/images/a.jpg",
       "a.jpg", "//cdn.example/a.jpg", "https://", "http:///a.jpg", "ftp://h/a.jpg",
       "https://[::1/a.jpg", "https://h/a b.jpg", "vbscript:x", ""]


@pytest.mark.parametrize("href", GOOD)
def test_web_urls_are_kept(href: str) -> None:
    assert web_url(f"  {href} ") == href


@pytest.mark.parametrize("href", BAD)
def test_anything_else_is_dropped(href: str) -> None:
    assert web_url(href) is None


def _hrefs(article) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.href for p in article.pictures for r in p.renditions]


def test_ninjs_associations_keep_only_web_renditions() -> None:
    renditions = {f"r{i}": {"href": href, "contentType": "image/jpeg"}
                  for i, href in enumerate([*BAD, GOOD[0]])}
    doc = {"uri": "urn:x:pics", "headline": "h", "associations": {
        "featureimage": {"type": "picture", "renditions": renditions},
        "other": {"type": "picture", "renditions": [{"href": "javascript:alert(1)"}]}}}
    [article] = parse_wire(json.dumps(doc).encode(), "application/json", agency="wna")

    assert _hrefs(article) == [GOOD[0]]
    assert article.pictures[1].renditions == ()


def test_ninjs_picture_item_renditions_are_filtered() -> None:
    doc = {"uri": "urn:x:pic", "type": "picture", "headline": "h",
           "renditions": {"a": {"href": "data:image/png;base64,AAAA"}, "b": {"href": GOOD[1]}}}
    [article] = parse_wire(json.dumps(doc).encode(), "application/json", agency="wna")

    assert _hrefs(article) == [GOOD[1]]


def test_newsml_remote_content_and_links_keep_only_web_hrefs() -> None:
    g2 = "http://iptc.org/std/nar/2006-10-01/"
    body = f"""<newsMessage xmlns="{g2}"><itemSet>
<newsItem guid="urn:t:1" version="1"><itemMeta><itemClass qcode="ninat:text"/>
  <pubStatus qcode="stat:usable"/>
  <link rel="irel:seeAlso" residref="urn:t:pic" contenttype="image/jpeg"/>
  <link rel="irel:seeAlso" href="javascript:alert(1)" contenttype="image/jpeg"/>
  <link rel="irel:seeAlso" href="{GOOD[2]}" contenttype="image/jpeg"/>
</itemMeta><contentMeta><headline>h</headline></contentMeta></newsItem>
<newsItem guid="urn:t:pic" version="1"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
<contentSet>
  <remoteContent href="file:///etc/passwd" contenttype="image/jpeg"/>
  <remoteContent href="../thumb.jpg" contenttype="image/jpeg"/>
  <remoteContent href="{GOOD[0]}" contenttype="image/jpeg"/>
</contentSet></newsItem></itemSet></newsMessage>"""
    [article] = parse_wire(body.encode(), "application/xml", agency="wna")

    assert _hrefs(article) == [GOOD[0], GOOD[2]]
    assert [p.uri for p in article.pictures] == ["urn:t:pic", GOOD[2]]


def test_nitf_media_references_keep_only_web_sources() -> None:
    body = f"""<nitf><head><docdata><doc-id id-string="n1"/></docdata></head><body>
<body.head><hedline><hl1>h</hl1></hedline></body.head><body.content><p>t</p>
<media media-type="image">
  <media-reference source="data:image/gif;base64,R0lGOD" mime-type="image/gif"/>
  <media-reference source="images/local.jpg" mime-type="image/jpeg"/>
  <media-reference source="{GOOD[0]}" mime-type="image/jpeg"/>
</media></body.content></body></nitf>"""
    [article] = parse_wire(body.encode(), "application/nitf+xml", agency="wna")

    assert _hrefs(article) == [GOOD[0]]


def test_rss_and_atom_media_keep_only_web_urls() -> None:
    rss = f"""<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>t</title><item><guid>g</guid><title>h</title>
<enclosure url="javascript:alert(1)" type="image/jpeg"/>
<media:content url="file:///etc/passwd" medium="image"/>
<media:content url="{GOOD[1]}" medium="image"/>
</item></channel></rss>"""
    [article] = parse_wire(rss.encode(), "application/rss+xml", agency="wna")
    assert _hrefs(article) == [GOOD[1]]

    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>e</id><title>h</title><updated>2024-01-01T00:00:00Z</updated>
<link rel="enclosure" type="image/jpeg" href="//cdn.example/a.jpg"/>
<link rel="enclosure" type="image/jpeg" href="{GOOD[0]}"/></entry></feed>"""
    [article] = parse_wire(atom.encode(), "application/atom+xml", agency="wna")
    assert _hrefs(article) == [GOOD[0]]
