"""IPTC ninjs 1.x, 2.x and 3.x items as canonical Articles."""

from __future__ import annotations

import json
import re
from typing import Any

from wirestream.common.events import Article, Picture, Subject

from .build import build_article
from .errors import check_item_count, invalid
from .html import has_markup, html_to_text, text_to_html
from .jsonobj import JsonObject
from .ninjs_media import pictures, renditions
from .values import (
    correction_note,
    last_segment,
    to_datetime,
    to_pub_status,
    to_urgency,
    to_version,
)

_SCHEMA_VERSION = re.compile(r"ninjs-schema_v?(\d+)|^v?(\d+)(?:\.\d+)*$")
_MAIN_ROLES = {"", "main", "headline", "text", "summary", "abstract", "lead", "richtext"}
_SUB_ROLES = {"sub", "subheadline", "subhead", "subtitle", "deck"}


def parse_ninjs(
    doc: Any, *, agency: str, default_language: str | None, max_items: int
) -> list[Article]:
    """One ninjs object, or an array of them (a batch), as Articles."""
    items = [(doc, "")] if isinstance(doc, dict) else None
    if isinstance(doc, list):
        check_item_count(len(doc), max_items)
        items = [(item, f"/{index}") for index, item in enumerate(doc)]
    if items is None:
        raise invalid("", f"a ninjs document is an object, not {type(doc).__name__}")
    return [
        _article(JsonObject.at(item, pointer), agency=agency, default_language=default_language)
        for item, pointer in items
    ]


def generation(item: JsonObject) -> int:
    """1, 2 or 3: declared (``ninjsVersion``, ``$schema``, ``standard``) or from the shape."""
    standard = item.peek("standard")
    hints = [item.peek("ninjsVersion"), item.peek("$schema")]
    if isinstance(standard, dict):
        hints += [standard.get("version"), standard.get("schema")]
    for hint in hints:
        match = _SCHEMA_VERSION.search(str(hint)) if hint is not None else None
        if match and int(match.group(1) or match.group(2)) in (1, 2, 3):
            return int(match.group(1) or match.group(2))
    if item.peek("headlines") is None and item.peek("bodies") is None:
        return 1
    keyed = (item.peek("associations"), item.peek("renditions"))
    return 3 if any(isinstance(value, list) for value in keyed) else 2


def _article(item: JsonObject, *, agency: str, default_language: str | None) -> Article:
    draft: dict[str, Any] = {"source_format": "ninjs"}
    draft["uri"] = item.text("uri")
    version = item.get("version")
    draft["version"] = 1 if version is None else to_version(version, item.ptr("version"))
    for field, names in (
        ("version_created", ("versionCreated",)),
        ("first_created", ("firstCreated",)),
        ("embargoed_until", ("embargoedUntil", "embargoed")),
    ):
        value = item.get(*names)
        if value is not None:
            draft[field] = to_datetime(value, item.ptr(*names))
    status = item.get("pubStatus")
    if status is not None:
        draft["pub_status"] = to_pub_status(status, item.ptr("pubStatus"))
    urgency = item.get("urgency")
    if urgency is not None:
        draft["urgency"] = to_urgency(urgency, item.ptr("urgency"))
    draft["language"] = item.text("language")
    draft["headline"], draft["subheadline"], other_headlines = _headlines(item)
    draft["summary"] = _summary(item)
    draft["body_html"], body_pointer = _body(item)
    draft["byline"] = item.text("by", "byline")
    draft["located"] = item.text("located")
    draft["ednote"] = item.text("edNote")
    draft["subjects"] = _concepts(item, "subjects", "subject")
    draft["places"] = _concepts(item, "places", "place")
    draft["info_sources"] = tuple(
        name
        for source in item.objects("infoSources")
        if (name := source.text("name") or source.text("uri"))
    )
    pics, other_associations = pictures(item)
    if (item.peek("type") or "") in ("picture", "graphic") and item.peek("renditions"):
        pics = (Picture(uri=draft["uri"], renditions=renditions(item)), *pics)
    draft["pictures"] = pics
    signals = item.peek("signals", "signal")
    signalled = "correction" in json.dumps(signals, ensure_ascii=False).lower()
    draft["correction_note"] = correction_note(draft["ednote"], signalled=signalled)
    generation_ = generation(item)
    extra = {**item.rest(), **other_associations, "ninjs_generation": generation_}
    if other_headlines:
        extra["other_headlines"] = other_headlines
    draft["extra"] = extra
    return build_article(
        draft,
        agency=agency,
        default_language=default_language,
        pointers={
            "uri": item.ptr("uri"),
            "headline": item.ptr(
                *(("headline", "headlines") if generation_ == 1 else ("headlines", "headline"))
            ),
            "language": item.ptr("language"),
            "body_html": body_pointer,
        },
    )


def _role(entry: JsonObject) -> str:
    return last_segment(entry.text("role"))


def _value(entry: JsonObject) -> str:
    value = entry.text("value")
    if value is None:
        raise invalid(entry.ptr("value"), "every headline, description and body needs a value")
    content_type = (entry.text("contentType", "mimetype") or "").lower()
    return html_to_text(value, pointer=entry.ptr("value")) if "html" in content_type else value


def _headlines(item: JsonObject) -> tuple[str | None, str | None, list[dict[str, Any]]]:
    """Main headline, subheadline, and any other headlines (short, SEO...) for ``extra``."""
    flat = item.text("headline")  # ninjs 1.x
    main = sub = None
    others: list[dict[str, Any]] = []
    for entry in item.objects("headlines"):
        role, value = _role(entry), _value(entry)
        if main is None and role in _MAIN_ROLES:
            main = value
        elif sub is None and role in _SUB_ROLES:
            sub = value
        else:
            others.append({"role": entry.text("role"), "value": value})
    if main is None and not flat and others:
        main = others.pop(0)["value"]
    return main or flat, sub, others


def _summary(item: JsonObject) -> str | None:
    entries = item.objects("descriptions")
    preferred = [entry for entry in entries if _role(entry) in _MAIN_ROLES] or entries
    if preferred:
        return _value(preferred[0])
    html = item.text("description_html")
    pointer = item.ptr("description_html")
    return item.text("description_text") or (html_to_text(html, pointer=pointer) if html else None)


def _body(item: JsonObject) -> tuple[str, str]:
    """The richest body (HTML from ``bodies`` or ``body_html``, else text as paragraphs)
    and where it is in the document."""
    candidates: list[tuple[int, str, str]] = []
    for entry in item.objects("bodies"):
        value = entry.text("value")
        if value is None:
            raise invalid(entry.ptr("value"), "every body needs a value")
        content_type = (entry.text("contentType", "mimetype") or "").lower()
        is_html = "html" in content_type or (not content_type and has_markup(value))
        if is_html:
            candidates.append((0, value, entry.ptr("value")))
        elif content_type in ("", "text/plain"):  # not NITF-in-a-string, RTF...
            candidates.append((1, text_to_html(value), entry.ptr("value")))
    for rank, name in ((0, "body_html"), (0, "body_xhtml"), (1, "body_text")):
        value = item.text(name)
        if value:
            html = value if rank == 0 else text_to_html(value)
            candidates.append((rank, html, item.ptr(name)))
    if not candidates:
        return "", item.ptr("body_html")
    # HTML beats text; among equals the document order decides (sorted is stable).
    _, html, pointer = sorted(candidates, key=lambda candidate: candidate[0])[0]
    return html, pointer


def _concepts(item: JsonObject, *names: str) -> tuple[Subject, ...]:
    concepts = []
    for entry in item.objects(*names):
        subject = Subject(
            code=entry.text("code") or entry.text("literal"),
            name=entry.text("name"),
            scheme=entry.text("scheme"),
            uri=entry.text("uri"),
        )
        if subject.code or subject.name or subject.uri:
            concepts.append(subject)
    return tuple(concepts)
