"""HTML nested too deep is refused before the sanitiser sees it; sloppy HTML is not."""

from __future__ import annotations

import json

import pytest

from wirestream.ingest.formats import FormatError, parse_wire
from wirestream.ingest.formats.htmldepth import MAX_HTML_DEPTH, html_depth

DEEP = {
    "nested divs": "<div>" * 300 + "x" + "</div>" * 300,
    "nested spans, huge": "<span>" * 200_000 + "x",
    "stray end tags do not close": "<div>" * 300 + "</span>" * 300 + "x",
    "li inside blockquote nests": "<li><blockquote>" * 150,
    "p behind a button is not closed": "<p><button><div>" * 100,
    "reopened formatting elements": "".join(f"<p><b class=c{i}>x</p>" for i in range(300)),
    "upper case": "<DIV>" * 300,
}
SHALLOW = {
    "unclosed paragraphs": "<p>one" * 5000,
    "unclosed list items": "<ul>" + "<li>item" * 5000 + "</ul>",
    "unclosed table cells": "<table>" + "<tr><td>a<td>b" * 3000 + "</table>",
    "unclosed anchors": "<p>" + "<a href=x>link " * 1000,
    "unclosed headings": "<h2>title" * 1000,
    "same unclosed bold per paragraph": "<p><b>Note</p>" * 5000,
    "void elements": "<p>" + "<br><img src=x>" * 5000 + "</p>",
    "an unterminated tag": "<a" * 100_000,
    "a realistic body": "<blockquote><ul><li><p><strong><em>x</em></strong></p></li></ul>"
                        "</blockquote>" * 2000,
}


@pytest.mark.parametrize("html", DEEP.values(), ids=DEEP.keys())
def test_deep_html_is_measured_past_the_limit(html: str) -> None:
    assert html_depth(html) > MAX_HTML_DEPTH


@pytest.mark.parametrize("html", SHALLOW.values(), ids=SHALLOW.keys())
def test_sloppy_but_shallow_html_is_within_the_limit(html: str) -> None:
    assert html_depth(html) <= 8


def test_exactly_the_limit_is_accepted() -> None:
    html = "<div>" * MAX_HTML_DEPTH + "x" + "</div>" * MAX_HTML_DEPTH
    [article] = parse_wire(json.dumps({"uri": "urn:x:1", "headline": "h", "body_html": html})
                           .encode(), "application/json", agency="wna")
    assert article.body_html == "x"


@pytest.mark.parametrize(("doc", "pointer"), [
    ({"body_html": "<div>" * 5000}, "/body_html"),
    ({"bodies": [{"role": "main", "contentType": "text/html", "value": "<b>" * 5000}]},
     "/bodies/0/value"),
    ({"headlines": [{"role": "main", "contentType": "text/html", "value": "<i>" * 5000}]},
     "/headlines/0/value"),
])
def test_ninjs_refusal_names_the_field(doc: dict, pointer: str) -> None:  # type: ignore[type-arg]
    body = json.dumps({"uri": "urn:x:1", "headline": "h", **doc}).encode()
    with pytest.raises(FormatError) as caught:
        parse_wire(body, "application/json", agency="wna")
    assert (caught.value.status, caught.value.type, caught.value.pointer) == (
        422, "html-too-deep", pointer)


def test_rss_escaped_html_too_deep_names_the_line() -> None:
    deep = "&lt;div&gt;" * 1000
    rss = (f"<rss version='2.0'><channel><title>t</title>\n<item><guid>g</guid><title>h</title>"
           f"<description>{deep}</description></item></channel></rss>").encode()
    with pytest.raises(FormatError) as caught:
        parse_wire(rss, "application/rss+xml", agency="wna")
    assert (caught.value.status, caught.value.type, caught.value.pointer) == (
        422, "html-too-deep", "line 2")
