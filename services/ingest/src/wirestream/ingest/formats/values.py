"""Coercions shared by every format: typed values out of agency strings, or a 422."""

from __future__ import annotations

import hashlib
import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from .errors import invalid

MAX_VERSION = 2**31 - 1  # what a PostgreSQL integer column holds
_CORRECTION_PREFIXES = ("correction", "corrected", "تصحيح")
_STATUSES = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}
# C0 controls, bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069),
# lone surrogates. The bidi controls open a direction scope that runs on until a
# matching pop, so one left unclosed in a headline reverses whatever a page shows
# after it (and can disguise a URL or a name); dir="rtl"/<bdi> do that job in
# markup. The marks U+200E/U+200F (LRM/RLM) and U+061C (ALM) stay: they are
# zero-width, open no scope, and Arabic text uses them to place punctuation and
# numbers next to Latin runs.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def article_id_for(agency: str, uri: str) -> str:
    """The stable id of an agency item across its versions: sha256 of agency and uri, 24 hex."""
    return hashlib.sha256(f"{agency}\n{uri}".encode()).hexdigest()[:24]


def last_segment(code: str | None) -> str:
    """The last segment of a QCode, NewsCodes URI or role, lower-cased:
    ``stat:canceled`` and ``http://cv.iptc.org/newscodes/pubstatusg2/canceled`` -> ``canceled``."""
    return re.split(r"[:/#]", (code or "").strip())[-1].lower()


def scrub(text: str) -> str:
    """Drop control characters and lone surrogates, which no database or encoder accepts,
    and bidi embedding, override and isolate controls (see ``_CONTROL``)."""
    return _CONTROL.sub("", text)


def web_url(href: str | None) -> str | None:
    """``href`` if it is an absolute http(s) URL with a host, else ``None``.

    Rendition hrefs end up in ``<img src>`` and download queues downstream:
    ``javascript:``, ``data:``, ``file:``, relative paths and protocol-relative
    ``//host`` links are dropped here rather than trusted there.
    """
    if not href:
        return None
    url = href.strip()
    if not url or any(c <= " " or c == "\x7f" for c in url):  # spaces or controls: not a URL
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed IPv6 literal, a bad port
        return None
    return url if parts.scheme.lower() in ("http", "https") and host else None


def needs_scrub(text: str) -> bool:
    """Whether :func:`scrub` would change ``text``."""
    return _CONTROL.search(text) is not None


def to_int(value: Any, pointer: str, *, low: int, high: int, name: str) -> int:
    """An integer from a JSON number or a decimal string, within ``low..high``."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip()
        number = int(digits) if len(digits) <= 12 else None
    if number is None or not low <= number <= high:
        raise invalid(pointer, f"{name} must be an integer from {low} to {high}, got {value!r:.60}")
    return number


def to_version(value: Any, pointer: str) -> int:
    return to_int(value, pointer, low=0, high=MAX_VERSION, name="version")


def to_urgency(value: Any, pointer: str) -> int:
    return to_int(value, pointer, low=1, high=9, name="urgency")


def to_dimension(value: Any, pointer: str) -> int:
    return to_int(value, pointer, low=0, high=1_000_000, name="size")


def to_datetime(value: Any, pointer: str) -> datetime:
    """ISO 8601 (extended or basic) or RFC 822 text as an aware UTC datetime."""
    if not isinstance(value, str) or not value.strip():
        raise invalid(pointer, f"expected a date-time string, got {value!r:.60}")
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        raise invalid(pointer, f"not an ISO 8601 or RFC 822 date-time: {text!r:.60}")
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise invalid(pointer, f"date-time out of range: {text!r:.60}") from exc


def to_pub_status(value: Any, pointer: str) -> str:
    """usable / withheld / canceled, from a bare word, a QCode or a NewsCodes URI."""
    if isinstance(value, str):
        status = _STATUSES.get(last_segment(value))
        if status is not None:
            return status
    raise invalid(pointer, f"pubStatus must be usable, withheld or canceled, got {value!r:.60}")


def is_correction_note(ednote: str | None) -> bool:
    """An editor's note that announces a correction ("Correction: ...", "تصحيح: ...")."""
    return ednote is not None and ednote.strip().lower().startswith(_CORRECTION_PREFIXES)


def correction_note(ednote: str | None, *, signalled: bool) -> str | None:
    """The correction note when the agency flagged a correction, else ``None``."""
    if is_correction_note(ednote):
        return ednote
    if signalled:
        return ednote or "Correction"
    return None
