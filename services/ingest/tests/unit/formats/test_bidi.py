"""Bidi embedding, override and isolate controls are dropped; LRM/RLM marks are kept."""

from __future__ import annotations

import json

import pytest

from wirestream.ingest.formats import parse_wire
from wirestream.ingest.formats.values import scrub

RLO, PDF, LRI, PDI, RLE = "\u202e", "\u202c", "\u2066", "\u2069", "\u202b"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
HEADLINE = "الرئيس يفتتح مطار جديد"


def _hostile(text: str) -> str:
    """An Arabic headline carrying an unclosed override and an isolate."""
    return f"{RLO}{text[:6]}{LRI}{text[6:]}{PDI}"


@pytest.mark.parametrize("char", BIDI_CONTROLS)
def test_every_bidi_control_is_scrubbed(char: str) -> None:
    assert scrub(f"a{char}b") == "ab"


def test_marks_are_kept_for_arabic_text() -> None:
    text = f"سعر البرميل 80{RLM} دولارا{LRM} (WTI){ALM}"
    assert scrub(text) == text


@pytest.mark.parametrize("escaped", [True, False], ids=["json-escapes", "raw-utf8"])
def test_ninjs_headline_and_body_lose_overrides(escaped: bool) -> None:
    doc = {"uri": "urn:x:bidi", "language": "ar", "headline": _hostile(HEADLINE),
           "body_html": f"<p>{RLE}نص{PDF} &#x202E;مقلوب &#8294;معزول&#8297;</p>",
           "byline": f"{RLO}مراسل",
           "associations": {"featureimage": {"type": "picture", "headline": f"{RLO}صورة",
                                             "renditions": {}}}}
    body = json.dumps(doc, ensure_ascii=escaped).encode()
    [article] = parse_wire(body, "application/json", agency="wna")

    assert article.headline == HEADLINE
    assert article.body_html == "<p>نص مقلوب معزول</p>"
    assert article.byline == "مراسل"
    assert article.pictures[0].headline == "صورة"


def test_ninjs_html_headline_with_character_references_is_scrubbed() -> None:
    doc = {"uri": "urn:x:bidi2", "headlines": [
        {"role": "main", "contentType": "text/html", "value": "&#x202E;عاجل&#x202C;"}]}
    [article] = parse_wire(json.dumps(doc).encode(), "application/json", agency="wna")

    assert article.headline == "عاجل"


def test_nitf_text_attributes_and_character_references_are_scrubbed() -> None:
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xml:lang="ar"><head><docdata><doc-id id-string="{RLO}WNA-1"/></docdata></head>
<body><body.head><hedline><hl1>{_hostile(HEADLINE)}</hl1></hedline>
<byline>&#x202E;خالد</byline></body.head>
<body.content><p>فقرة&#x2067; أولى&#x2069;</p></body.content></body></nitf>"""
    [article] = parse_wire(body.encode(), "application/nitf+xml", agency="wna")

    assert article.headline == HEADLINE
    assert article.uri == "WNA-1"
    assert article.byline == "خالد"
    assert article.body_html == "<p>فقرة أولى</p>"


def test_rss_escaped_html_is_scrubbed() -> None:
    body = f"""<rss version="2.0"><channel><title>t</title><item><guid>g1</guid>
<title>{_hostile(HEADLINE)}</title>
<description>&lt;p&gt;&amp;#x202E;ملخص&lt;/p&gt;</description></item></channel></rss>"""
    [article] = parse_wire(body.encode(), "application/rss+xml", agency="wna")

    assert article.headline == HEADLINE
    assert not any(c in article.body_html + (article.summary or "") for c in BIDI_CONTROLS)
    assert "ملخص" in article.body_html
