"""The HTML allowlist."""

from __future__ import annotations

import json

from wirestream.ingest.formats import parse_wire, sanitize_html
from wirestream.ingest.formats.html import html_to_text, text_to_html


def test_scripts_and_their_content_go():
    assert sanitize_html("<p>a<script>alert(1)</script>b</p>") == "<p>ab</p>"


def test_event_handlers_go():
    assert sanitize_html('<img src="https://x.example/a.jpg" onerror="alert(1)">') == (
        '<img src="https://x.example/a.jpg">'
    )


def test_javascript_links_lose_their_target():
    cleaned = sanitize_html('<a href="javascript:alert(1)">x</a>')

    assert "javascript" not in cleaned and ">x</a>" in cleaned


def test_iframes_and_their_content_go():
    assert sanitize_html('<p>a</p><iframe src="https://evil.example">b</iframe>') == "<p>a</p>"


def test_links_get_noopener_nofollow():
    assert sanitize_html('<a href="https://wna.example" target="_blank">x</a>') == (
        '<a href="https://wna.example" rel="noopener nofollow">x</a>'
    )


def test_allowlisted_markup_survives():
    html = (
        "<h2>t</h2><p><em>a</em> <strong>b</strong> <b>c</b> <i>d</i><br></p>"
        "<ul><li>e</li></ul><ol><li>f</li></ol><blockquote>g</blockquote>"
        '<figure><img src="https://x.example/i.jpg" alt="alt"><figcaption>h</figcaption></figure>'
        '<span dir="rtl" lang="ar">ي</span><h3>u</h3><h4>v</h4>'
    )

    assert sanitize_html(html) == html


def test_styles_classes_and_unknown_tags_go():
    cleaned = sanitize_html(
        '<div class="x" style="color:red"><font>t</font><style>p{}</style></div>'
    )

    assert cleaned == "t"


def test_h1_becomes_h2():
    assert sanitize_html("<h1>t</h1>") == "<h2>t</h2>"


def test_text_bodies_become_escaped_paragraphs():
    assert text_to_html("a < b\n\nc & d") == "<p>a &lt; b</p><p>c &amp; d</p>"
    assert text_to_html("line one\nline two") == "<p>line one</p><p>line two</p>"
    assert text_to_html("  ") == ""


def test_html_to_text_separates_blocks():
    assert html_to_text("<p>a</p><p>b &amp; c</p>") == "a b & c"


def test_ninjs_text_body_is_escaped_not_interpreted():
    body = {"uri": "urn:x:1", "headline": "h", "body_text": "<script>alert(1)</script>"}
    [article] = parse_wire(json.dumps(body).encode(), None, agency="wna")

    assert article.body_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_ninjs_html_body_is_sanitised():
    body = {
        "uri": "urn:x:1",
        "headlines": [{"value": "h"}],
        "bodies": [
            {
                "contentType": "text/html",
                "value": '<p onclick="x()">a</p><iframe src="https://e"></iframe>'
                '<a href="javascript:x()">j</a><script>x()</script>',
            }
        ],
    }
    [article] = parse_wire(json.dumps(body).encode(), None, agency="wna")

    assert article.body_html == '<p>a</p><a rel="noopener nofollow">j</a>'
