"""HTML hygiene for wire bodies: one allowlist, applied to every format."""

from __future__ import annotations

import html as _html
import re

import nh3

from .errors import FormatError
from .htmldepth import MAX_HTML_DEPTH, html_depth
from .values import scrub

_TAGS = {
    "p", "a", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img", "h2", "h3", "h4", "br", "span",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "span": {"dir", "lang"}}
# Dropped with everything inside them, not just unwrapped: their text is never prose.
_CLEAN_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template",
    "head", "title", "svg", "math", "select", "textarea", "button",
}  # fmt: skip
_SCHEMES = {"http", "https", "mailto"}
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"</?[A-Za-z][^>]*>")
# Headings outside the allowlist move into its range instead of losing their markup.
_HEADING = re.compile(r"<(/?)h([156])\b", re.I)
_BLOCK_TAG = re.compile(r"<(?=/?(?:p|br|div|li|h[1-6]|blockquote|figcaption|td|tr)\b)", re.I)

# nh3 (html5ever's serialiser) takes time quadratic in the number of "&" and no-break
# spaces it must escape within one text node: 5 MB of "&amp;&nbsp;" cost 15-25 CPU
# seconds. The unambiguous spellings of both (a bare "&" that starts no reference,
# "&amp;", "&#38;", "&nbsp;", "&#160;", U+00A0...) are swapped for private-use marks
# before cleaning and written back as references after, which keeps it linear. What is
# left (legacy references without ";", which HTML5 still decodes) is capped instead.
_AMP_MARK, _NBSP_MARK = "\ue000", "\ue001"
_AMP = re.compile(r"&(?:amp|#0*38|#[xX]0*26);|&(?![A-Za-z0-9#])")
_NBSP = re.compile(r"&(?:nbsp|#0*160|#[xX]0*[aA]0);|\xa0")
# What still decodes to "&" or U+00A0 after the swap: legacy or uppercase spellings.
_SLOW_REFS = re.compile(r"&(?:amp|AMP|nbsp|NonBreakingSpace|#0*(?:38|160)(?![0-9])"
                        r"|#[xX]0*(?:26|[aA]0)(?![0-9A-Fa-f]))")
MAX_HTML_REFERENCES = 20_000


def check_depth(html: str, pointer: str | None = None) -> None:
    """A 422 naming ``pointer`` when ``html`` nests deeper than ``MAX_HTML_DEPTH``.

    The sanitiser's time grows with the square of the depth; see ``htmldepth``.
    """
    if html.count("<") > MAX_HTML_DEPTH and html_depth(html) > MAX_HTML_DEPTH:
        raise FormatError(422, "html-too-deep",
                          f"the HTML is nested more than {MAX_HTML_DEPTH} elements deep",
                          pointer=pointer)


def sanitize_html(html: str, *, pointer: str | None = None) -> str:
    """Reduce agency HTML to the house allowlist.

    Scripts, styles, iframes and their content go; event handlers, styles and
    any attribute not listed go; links keep only http(s)/mailto targets and get
    ``rel="noopener nofollow"``. HTML nested too deep is refused (a
    ``FormatError`` naming ``pointer``).
    """
    check_depth(html, pointer)
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{2 if m.group(2) == '1' else 4}", html)
    cleaned = _clean(
        html,
        pointer,
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener nofollow",
        strip_comments=True,
    )
    # nh3 writes character references out as characters: scrub what it returns.
    return scrub(cleaned.strip())


def _clean(html: str, pointer: str | None, **options: object) -> str:
    """``nh3.clean`` in linear time (see ``_AMP_MARK``)."""
    shielded = _NBSP.sub(_NBSP_MARK, _AMP.sub(_AMP_MARK, html.replace(_AMP_MARK, "")
                                              .replace(_NBSP_MARK, "")))
    if (shielded.count("&") > MAX_HTML_REFERENCES
            and len(_SLOW_REFS.findall(shielded)) > MAX_HTML_REFERENCES):
        raise FormatError(422, "html-too-many-references",
                          f"the HTML spells '&' or a no-break space as a legacy reference "
                          f"more than {MAX_HTML_REFERENCES} times", pointer=pointer)
    cleaned = nh3.clean(shielded, **options)  # type: ignore[arg-type]
    return cleaned.replace(_AMP_MARK, "&amp;").replace(_NBSP_MARK, "&nbsp;")


def has_markup(text: str) -> bool:
    return bool(_MARKUP.search(text))


def html_or_text(value: str) -> str:
    """Feed fields are HTML by contract, but often plain text: give the latter paragraphs."""
    return value if has_markup(value) else text_to_html(_html.unescape(value))


def text_to_html(text: str) -> str:
    """Plain text as escaped ``<p>`` paragraphs.

    Blank lines separate paragraphs; a text with no blank line but several
    lines (the usual wire layout) gets one paragraph a line.
    """
    text = scrub(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    blocks = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    paragraphs = (_SPACE.sub(" ", block).strip() for block in blocks)
    return "".join(f"<p>{_html.escape(p, quote=False)}</p>" for p in paragraphs if p)


def html_to_text(html: str, *, pointer: str | None = None) -> str:
    """The visible text of an HTML fragment, whitespace collapsed (for headlines, summaries)."""
    check_depth(html, pointer)
    spaced = _BLOCK_TAG.sub(" <", html)  # so "<p>a</p><p>b</p>" reads "a b", not "ab"
    stripped = _clean(spaced, pointer, tags=set(), clean_content_tags=_CLEAN_CONTENT)
    return normalize_space(scrub(_html.unescape(stripped)))


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
