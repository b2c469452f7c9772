"""render_comment: plain text in, safe HTML out; count_links."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirestream.comments.text import LINK_REL, clean_text, count_links, render_comment

ALLOWED = {"a": {"href", "rel", "target"}, "p": set(), "br": set()}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Collect:
    parser = _Collect()
    parser.feed(fragment)
    parser.close()
    return parser


def assert_harmless(fragment: str) -> None:
    """Only p, br and a, only the allowed attributes, and only http(s) links."""
    for tag, attrs in parse(fragment).tags:
        assert tag in ALLOWED, fragment
        assert set(attrs) <= ALLOWED[tag], fragment
        if tag == "a":
            assert (attrs["href"] or "").startswith(("http://", "https://")), fragment
            assert attrs["rel"] == LINK_REL
            assert attrs["target"] == "_blank"


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(document.cookie)",
    '<a href="javascript:alert(1)">click</a>',
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<iframe src="data:text/html,<script>alert(1)</script>">',
    "<style>body{display:none}</style>",
    "<!-- comment --><b>bold</b>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<<script>script>alert(1)<</script>/script>",
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/'><script>alert(1)</script>",
    "https://example.com/<svg/onload=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_rendered_harmless(payload: str) -> None:
    rendered = render_comment(payload)
    assert_harmless(rendered)
    lowered = rendered.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "<svg" not in lowered
    assert "<iframe" not in lowered
    # Text that merely *shows* 'href="javascript:' is fine; assert_harmless has
    # already checked that every real href is http(s).


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_are_shown_as_the_text_the_reader_typed(payload: str) -> None:
    shown = "".join(parse(render_comment(payload)).text)
    assert shown == payload.strip()


def test_markup_is_escaped_not_stripped() -> None:
    assert render_comment("<b>hi</b> & bye") == "<p>&lt;b&gt;hi&lt;/b&gt; &amp; bye</p>"


def test_http_links_become_safe_anchors() -> None:
    rendered = render_comment("see https://example.com/a?x=1&y=2 now")
    assert_harmless(rendered)
    (tag, attrs), *_ = parse(rendered).tags[1:]
    assert tag == "a"
    assert attrs["href"] == "https://example.com/a?x=1&y=2"
    assert "nofollow" in rendered and "ugc" in rendered and "noopener" in rendered


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("(https://example.com)", "https://example.com"),
        ("go to https://example.com/page.", "https://example.com/page"),
        ("https://en.wikipedia.org/wiki/Mercury_(planet), yes", None),
        ("مرحبا https://ar.wikipedia.org/wiki/مصر، شكرا", "https://ar.wikipedia.org/wiki/مصر"),
        ("HTTP://EXAMPLE.COM/X", "HTTP://EXAMPLE.COM/X"),
    ],
)
def test_trailing_punctuation_is_not_part_of_the_link(text: str, href: str | None) -> None:
    anchors = [attrs for tag, attrs in parse(render_comment(text)).tags if tag == "a"]
    expected = href or "https://en.wikipedia.org/wiki/Mercury_(planet)"
    assert [a["href"] for a in anchors] == [expected]


@pytest.mark.parametrize(
    "text", ["ftp://example.com/x", "www.example.com", "http://localhost/x", "https://"]
)
def test_only_absolute_http_links_to_real_hosts_are_clickable(text: str) -> None:
    assert "<a" not in render_comment(text)


def test_newlines_become_paragraphs_and_breaks() -> None:
    text = "first line\nsecond line\r\n\r\n  \nnew paragraph\rafter cr"
    assert render_comment(text) == (
        "<p>first line<br>second line</p><p>new paragraph<br>after cr</p>"
    )


def test_empty_and_blank_comments_render_empty() -> None:
    assert render_comment("") == ""
    assert render_comment(" \n\n \t") == ""


@pytest.mark.parametrize(
    "char",
    ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_bidi_overrides_are_removed(char: str) -> None:
    rendered = render_comment(f"invoice{char}fdp.exe")
    assert char not in rendered
    assert rendered == "<p>invoicefdp.exe</p>"


def test_bidi_override_inside_a_link_is_removed() -> None:
    rendered = render_comment("https://example.com/\u202egnp.exe")
    assert "\u202e" not in rendered
    assert_harmless(rendered)


def test_control_characters_and_lone_surrogates_are_removed() -> None:
    assert render_comment("a\x00b\x1bc\x7fd\ud800e") == "<p>abcde</p>"


def test_arabic_text_and_bidi_marks_are_kept() -> None:
    text = "خبر ممتاز\u200f (CNN)"
    assert render_comment(text) == f"<p>{text}</p>"


def test_count_links() -> None:
    text = "a https://x.com b http://y.org/p?q=1 c www.z.net d ftp://no.pe e http://localhost"
    assert count_links(text) == 3
    assert count_links("no links here, just a.b and e.g.") == 0
    assert count_links("ｈｔｔｐｓ://fullwidth.example.com") == 1
    assert count_links("https://x.com/https://y.com") == 1


@given(st.text())
def test_any_text_renders_harmless(text: str) -> None:
    rendered = render_comment(text)
    assert_harmless(rendered)
    assert len([t for t, _ in parse(rendered).tags if t == "a"]) <= count_links(text)


@given(st.text(alphabet=st.sampled_from("<>\"'&=/ :;()\nabcjvsrpthx\u202e.")))
def test_markup_soup_renders_harmless(text: str) -> None:
    rendered = render_comment(text)
    assert_harmless(rendered)
    assert "<script" not in rendered


@given(st.text())
def test_the_reader_sees_exactly_what_was_typed(text: str) -> None:
    """Apart from whitespace and removed control characters, nothing is lost or added."""
    shown = "".join(parse(render_comment(text)).text)
    assert "".join(shown.split()) == "".join(clean_text(text).split())
