"""Rendering reader comments: plain text in, a small and safe HTML fragment out.

A comment is plain text. Nothing a reader types is ever interpreted as markup:
everything is escaped, and the only elements in the output are the ones built
here (``<p>``, ``<br>`` and ``<a>`` for http(s) links). nh3 then cleans the
result against that same tiny allowlist, so that a bug in the escaping or the
link finder still cannot put a script in another reader's browser.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

import nh3

__all__ = ["LINK_REL", "clean_text", "count_links", "render_comment"]

LINK_REL = "nofollow ugc noopener"

# Characters removed before rendering. Bidi embeddings, overrides and isolates
# (U+202A-E, U+2066-9) can make text display in a different order from the one
# it is stored in (the "U+202E" trick that turns "exe.txt" into "txt.exe");
# C0/C1 controls have no business in a comment; lone surrogates cannot even be
# encoded as UTF-8. The bidi *marks* (LRM, RLM, ALM) are kept: they only nudge
# neutral characters and mixed Arabic/English text legitimately needs them.
_STRIP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")

# A link candidate runs until whitespace or a character that cannot appear
# unescaped in a URL and is commonly used to wrap one.
_LINK = re.compile(r"""(?:https?://|\bwww\.)[^\s<>"'`{}|\\^]+""", re.IGNORECASE)
_TRAILING = ".,;:!?*_~،؛؟…。"
_PAIRS = {")": "(", "]": "[", "}": "{"}

_CLEANER = nh3.Cleaner(
    tags={"a", "br", "p"},
    attributes={"a": {"href"}},
    set_tag_attribute_values={"a": {"target": "_blank"}},
    link_rel=LINK_REL,
    url_schemes={"http", "https"},
    url_relative="deny",
    strip_comments=True,
)


def _trim(url: str) -> str:
    """Drop trailing punctuation that belongs to the sentence, not the URL.

    A closing bracket stays when it closes one opened inside the URL, as in
    ``https://en.wikipedia.org/wiki/Mercury_(planet)``.
    """
    unmatched = {close: url.count(close) - url.count(open_) for close, open_ in _PAIRS.items()}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif unmatched.get(last, 0) > 0:
            unmatched[last] -= 1
            end -= 1
        else:
            break
    return url[:end]


def _is_web_url(url: str) -> bool:
    """An address with a host name that nh3 (the final judge of hrefs) accepts."""
    absolute = url if "://" in url else f"http://{url}"
    try:
        parts = urlsplit(absolute)
        host, _ = parts.hostname, parts.port  # .port raises ValueError when malformed
    except ValueError:
        return False
    if not host or "." not in host.strip("."):
        return False
    probe = f'<a href="{html.escape(absolute, quote=True)}"></a>'
    return "href=" in _CLEANER.clean(probe)


def _find_links(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, url)`` for every web address in ``text``."""
    for match in _LINK.finditer(text):
        url = _trim(match.group())
        if _is_web_url(url):
            yield match.start(), match.start() + len(url), url


def _render_line(line: str) -> str:
    out: list[str] = []
    pos = 0
    for start, end, url in _find_links(line):
        if not url.lower().startswith(("http://", "https://")):
            continue  # a bare "www." address is counted but stays plain text
        out.append(html.escape(line[pos:start]))
        escaped = html.escape(url, quote=True)
        out.append(f'<a href="{escaped}" rel="{LINK_REL}" target="_blank">{escaped}</a>')
        pos = end
    out.append(html.escape(line[pos:]))
    return "".join(out)


def clean_text(text: str) -> str:
    """Remove invisible control characters and normalise line breaks to ``\\n``."""
    return _STRIP.sub("", _NEWLINES.sub("\n", text))


def render_comment(text: str) -> str:
    """Render a plain-text comment as safe HTML.

    Every character is escaped; http(s) addresses become links that open in a
    new tab with ``rel="nofollow ugc noopener"``; blank lines separate ``<p>``
    paragraphs and single line breaks become ``<br>``. Bidi override and
    control characters are removed. The result is cleaned by nh3 with an
    allowlist of ``a[href, rel, target]``, ``br`` and ``p`` only.
    """
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(clean_text(text).strip()) if p.strip()]
    body = "".join(
        "<p>" + "<br>".join(_render_line(line) for line in p.strip().split("\n")) + "</p>"
        for p in paragraphs
    )
    return _CLEANER.clean(body)


def count_links(text: str) -> int:
    """Count the web addresses in ``text``: http(s) URLs and bare ``www.`` hosts.

    Bare hosts count although they are not made clickable, because an
    advertiser does not need a clickable link to advertise. The text is also
    read NFKC-normalised, so full-width "ｈｔｔｐ" is counted too; the larger
    count wins, so there are never more links on the page than were counted.
    """
    text = clean_text(text)
    normalized = unicodedata.normalize("NFKC", text)
    return max(sum(1 for _ in _find_links(t)) for t in (text, normalized))
