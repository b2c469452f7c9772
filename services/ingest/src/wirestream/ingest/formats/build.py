"""From a format's draft (a dict of Article fields) to the canonical Article."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from wirestream.common.events import Article

from .errors import FormatError, invalid, missing
from .html import html_to_text, normalize_space, sanitize_html
from .values import article_id_for

MAX_URI_LENGTH = 1000  # the width of the articles.uri column
MAX_HEADLINE_LENGTH = 1000
_LEADING_HEADING = re.compile(r"\s*<h2>(.*?)</h2>", re.S)
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def build_article(
    draft: dict[str, Any],
    *,
    agency: str,
    default_language: str | None,
    pointers: dict[str, str],
) -> Article:
    """Check the fields every item needs, then construct the Article.

    ``pointers`` says where ``uri`` and ``headline`` live in the source
    document, so a refusal names the field the agency has to fix.
    """
    uri = normalize_space(draft.pop("uri", None) or "")
    if not uri:
        raise missing(pointers["uri"], "the item has no identifier (uri / guid / id)")
    if len(uri) > MAX_URI_LENGTH:
        raise invalid(pointers["uri"], f"the identifier is longer than {MAX_URI_LENGTH} characters")
    headline = normalize_space(draft.pop("headline", None) or "")
    if not headline:
        raise missing(pointers["headline"], "the item has no headline")
    draft["headline"] = headline[:MAX_HEADLINE_LENGTH]
    draft["body_html"] = _without_repeated_headline(
        sanitize_html(draft.get("body_html") or "", pointer=pointers.get("body_html")), headline
    )
    draft["language"] = _language(draft.get("language"), pointers.get("language", "")) or (
        default_language
    )
    for key in ("subheadline", "summary", "byline", "located", "section", "ednote"):
        if isinstance(draft.get(key), str):
            draft[key] = normalize_space(draft[key]) or None
    try:
        return Article(article_id=article_id_for(agency, uri), agency=agency, uri=uri, **draft)
    except ValidationError as exc:  # a mapping bug, or a value no check above foresaw
        error = exc.errors()[0]
        field = "/".join(str(part) for part in error["loc"])
        raise FormatError(422, "invalid-field", f"{field}: {error['msg']}", pointer=field) from exc


def _language(value: str | None, pointer: str) -> str | None:
    """A BCP 47 tag as sent (``en_GB`` read as ``en-GB``), or a 422."""
    if not value or not value.strip():
        return None
    tag = value.strip().replace("_", "-")
    if not _LANGUAGE.fullmatch(tag):
        raise invalid(pointer, f"language is not a BCP 47 tag: {value!r:.40}")
    return tag


def _without_repeated_headline(body: str, headline: str) -> str:
    """Drop a body's opening heading when it only repeats the headline (XHTML, TT-style HTML)."""
    match = _LEADING_HEADING.match(body)
    if match and normalize_space(html_to_text(match.group(1))) == headline:
        return body[match.end() :].lstrip()
    return body
