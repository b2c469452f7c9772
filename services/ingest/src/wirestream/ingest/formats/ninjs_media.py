"""ninjs associations and renditions as canonical Pictures."""

from __future__ import annotations

from typing import Any

from wirestream.common.events import Picture, Rendition

from .html import html_to_text, normalize_space
from .jsonobj import JsonObject
from .values import to_dimension, web_url

_PICTURE_TYPES = {"picture", "graphic", "image", "photo"}
_FEATURE_NAMES = ("featureimage", "featuremedia", "feature", "main", "mainpicture")


def pictures(item: JsonObject) -> tuple[tuple[Picture, ...], dict[str, Any]]:
    """Pictures from ``associations``, feature image first, and the other
    associations (video, text...) kept raw for ``extra``."""
    found: list[tuple[bool, Picture]] = []
    others: dict[str, Any] = {}
    for index, (name, assoc) in enumerate(item.keyed("associations")):
        kind = (assoc.peek("type") or "").lower() if isinstance(assoc.peek("type"), str) else ""
        if kind in _PICTURE_TYPES or (not kind and assoc.peek("renditions")):
            is_feature = name.lower() in _FEATURE_NAMES
            found.append((not is_feature, picture(assoc)))
        else:
            others[name or str(index)] = assoc.data
    ordered = tuple(pic for _, pic in sorted(found, key=lambda pair: pair[0]))
    return ordered, ({"associations": others} if others else {})


def picture(assoc: JsonObject) -> Picture:
    """One associated picture: its headline, caption, credit and renditions."""
    headline = assoc.text("headline")
    for entry in assoc.objects("headlines")[:1]:
        headline = entry.text("value")
    description = assoc.text("description_text") or _text_of_html(
        assoc.text("description_html"), assoc.ptr("description_html"))
    for entry in assoc.objects("descriptions")[:1]:
        description = entry.text("value")
    return Picture(
        uri=assoc.text("uri"),
        headline=headline,
        description=normalize_space(description or "") or None,
        credit=credit(assoc),
        renditions=renditions(assoc),
    )


def credit(assoc: JsonObject) -> str | None:
    """creditline if sent; else "photographer/holder"; else the copyright notice."""
    creditline = assoc.text("creditline", "credit")
    by = assoc.text("by", "byline")
    holder = assoc.text("copyrightHolder")
    notice = assoc.text("copyrightNotice")
    if creditline:
        return creditline
    if by and holder and holder.lower() not in by.lower():
        return f"{by}/{holder}"
    return by or holder or notice


def renditions(entry: JsonObject) -> tuple[Rendition, ...]:
    result = []
    for name, rendition in entry.keyed("renditions"):
        href = web_url(rendition.text("href"))
        if not href:
            continue  # a rendition nobody can fetch (or should) is of no use downstream
        width, height = rendition.get("width"), rendition.get("height")
        result.append(
            Rendition(
                href=href,
                width=None if width is None else to_dimension(width, rendition.ptr("width")),
                height=None if height is None else to_dimension(height, rendition.ptr("height")),
                mimetype=rendition.text("contentType", "mimetype"),
                title=rendition.text("title") or name or None,
            )
        )
    return tuple(result)


def _text_of_html(value: str | None, pointer: str) -> str | None:
    return html_to_text(value, pointer=pointer) if value else None
