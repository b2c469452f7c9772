"""NewsML-G2 ``newsItem`` documents and ``newsMessage`` bundles as canonical Articles."""

from __future__ import annotations

from typing import Any

from lxml import etree

from wirestream.common.events import Article, Picture, Subject

from .build import build_article
from .errors import check_item_count
from .html import text_to_html
from .newsml_media import linked_pictures, picture_item
from .nitf import nitf_body
from .values import (
    correction_note,
    last_segment,
    to_datetime,
    to_pub_status,
    to_urgency,
    to_version,
)
from .xml import XML_LANG, attr, child, children, descendants, inner_html, line, text

_PLACE_TYPES = {"geoarea", "poi"}


def parse_g2(
    root: etree._Element, *, agency: str, default_language: str | None, max_items: int
) -> list[Article]:
    """Text items become Articles; picture items in the same message become their pictures."""
    items = (
        [root] if etree.QName(root).localname == "newsItem" else list(descendants(root, "newsItem"))
    )
    check_item_count(len(items), max_items)
    classes = [child(item, "itemMeta", "itemClass") for item in items]
    kinds = [last_segment(attr(node, "qcode") or attr(node, "uri")) for node in classes]
    pictures = {
        attr(item, "guid"): picture_item(item)
        for item, kind in zip(items, kinds, strict=True)
        if kind in ("picture", "graphic")
    }
    return [
        _article(item, pictures, agency=agency, default_language=default_language)
        for item, kind in zip(items, kinds, strict=True)
        if kind in ("text", "")
    ]


def _article(
    item: etree._Element,
    pictures: dict[str | None, Picture],
    *,
    agency: str,
    default_language: str | None,
) -> Article:
    meta, content = child(item, "itemMeta"), child(item, "contentMeta")
    where = content if content is not None else item
    draft: dict[str, Any] = {"source_format": "newsml-g2", "uri": attr(item, "guid")}
    version = attr(item, "version")
    draft["version"] = to_version(version, line(item)) if version else 1
    for field, node in (
        ("version_created", child(meta, "versionCreated")),
        ("first_created", child(meta, "firstCreated")),
        ("embargoed_until", child(meta, "embargoed")),
    ):
        if text(node):
            draft[field] = to_datetime(text(node), line(node))
    status = child(meta, "pubStatus")
    if attr(status, "qcode") or attr(status, "uri"):
        draft["pub_status"] = to_pub_status(
            attr(status, "qcode") or attr(status, "uri"), line(status)
        )
    urgency = child(content, "urgency")
    if text(urgency):
        draft["urgency"] = to_urgency(text(urgency), line(urgency))
    draft["language"] = attr(child(content, "language"), "tag") or item.get(XML_LANG)
    headlines = list(children(content, "headline"))
    draft["headline"] = text(_with_role(headlines, "", "main", "headline"))
    draft["subheadline"] = text(_with_role(headlines, "subheadline", "sub"))
    descriptions = list(children(content, "description"))
    draft["summary"] = text(_with_role(descriptions, "summary", "", "abstract"))
    draft["byline"] = text(child(content, "by")) or text(child(content, "creator", "name"))
    draft["located"] = text(child(content, "located", "name")) or text(child(content, "located"))
    draft["ednote"] = text(child(meta, "edNote"))
    signals = [last_segment(attr(node, "qcode")) for node in children(meta, "signal")]
    draft["correction_note"] = correction_note(draft["ednote"], signalled="correction" in signals)
    subjects = [_subject(node) for node in children(content, "subject")]
    draft["subjects"] = tuple(s for kind, s in subjects if kind not in _PLACE_TYPES)
    draft["places"] = tuple(s for kind, s in subjects if kind in _PLACE_TYPES)
    draft["info_sources"] = tuple(
        source
        for node in children(content, "infoSource")
        if (source := text(child(node, "name")) or attr(node, "qcode") or attr(node, "uri"))
    )
    body = _body(child(item, "contentSet"))
    for key in ("headline", "subheadline", "byline", "located", "summary"):
        draft[key] = draft.get(key) or body.get(key)
    draft["body_html"] = body.get("body_html", "")
    draft["pictures"] = (*body.get("pictures", ()), *linked_pictures(meta, pictures))
    draft["extra"] = _extra(item, meta, content, signals)
    return build_article(
        draft,
        agency=agency,
        default_language=default_language,
        pointers={"uri": line(item), "headline": line(where), "language": line(where),
                  "body_html": line(child(item, "contentSet"))},
    )


def _with_role(nodes: list[etree._Element], *roles: str) -> etree._Element | None:
    for role in roles:
        for node in nodes:
            if last_segment(attr(node, "role")) == role:
                return node
    return nodes[0] if nodes and roles[0] == "" else None


def _subject(node: etree._Element) -> tuple[str, Subject]:
    qcode = attr(node, "qcode") or ""
    scheme, _, code = qcode.rpartition(":")
    return last_segment(attr(node, "type")), Subject(
        code=code or None,
        scheme=scheme or None,
        name=text(child(node, "name")),
        uri=attr(node, "uri"),
    )


def _body(content_set: etree._Element | None) -> dict[str, Any]:
    """XHTML or NITF from ``inlineXML``, else HTML or plain text from ``inlineData``."""
    if content_set is None:
        return {}
    for inline in children(content_set, "inlineXML"):
        nitf = child(inline, "nitf")
        if nitf is not None:
            return nitf_body(nitf)
        html = next(descendants(inline, "body"), None)
        return {"body_html": inner_html(html if html is not None else inline)}
    for inline in children(content_set, "inlineData"):
        data = inline.text or ""
        is_html = "html" in (attr(inline, "contenttype") or "")
        return {"body_html": data if is_html else text_to_html(data)}
    return {}


def _extra(
    item: etree._Element,
    meta: etree._Element | None,
    content: etree._Element | None,
    signals: list[str],
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for key, value in (
        ("slugline", text(child(content, "slugline"))),
        ("creditline", text(child(content, "creditline"))),
        ("copyright_holder", text(child(item, "rightsInfo", "copyrightHolder"))),
        ("copyright_notice", text(child(item, "rightsInfo", "copyrightNotice"))),
        (
            "provider",
            attr(child(meta, "provider"), "qcode") or attr(child(meta, "provider"), "uri"),
        ),
        ("content_created", text(child(content, "contentCreated"))),
        ("standardversion", attr(item, "standardversion")),
    ):
        if value:
            extra[key] = value
    if signals:
        extra["signals"] = signals
    genres = [attr(g, "qcode") or text(child(g, "name")) for g in children(content, "genre")]
    keywords = [text(k) for k in children(content, "keyword")]
    for key, values in (("genres", genres), ("keywords", keywords)):
        if any(values):
            extra[key] = [value for value in values if value]
    return extra
