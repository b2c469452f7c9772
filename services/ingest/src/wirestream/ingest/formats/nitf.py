"""NITF 3.x documents (and NITF bodies inside NewsML-G2) as canonical Articles."""

from __future__ import annotations

from typing import Any

from lxml import etree

from wirestream.common.events import Article, Picture, Rendition, Subject

from .build import build_article
from .errors import check_item_count
from .values import (
    correction_note,
    to_datetime,
    to_dimension,
    to_pub_status,
    to_urgency,
    to_version,
    web_url,
)
from .xml import XML_LANG, attr, child, children, descendants, drop, inner_html, line, text

# NITF body markup that has an HTML counterpart; the rest is unwrapped by the sanitiser.
_RENAME = {"hl2": "h2", "block": "div", "pre": "p"}


def nitf_body(nitf: etree._Element) -> dict[str, Any]:
    """Headline, byline, dateline, abstract, body HTML and pictures of ``<body>``."""
    body = child(nitf, "body")
    head = child(body, "body.head")
    content = child(body, "body.content")
    pictures: list[Picture] = []
    if content is not None:
        for media in list(descendants(content, "media")):
            if (attr(media, "media-type") or "image") in ("image", "photo", "graphic"):
                pictures.append(_picture(media))
            drop(media)
    located = child(head, "dateline", "location")
    return {
        "headline": text(child(head, "hedline", "hl1")),
        "subheadline": text(child(head, "hedline", "hl2")),
        "byline": text(child(head, "byline")),
        "located": text(located) or text(child(head, "dateline")),
        "summary": text(child(head, "abstract")),
        "body_html": inner_html(content, _RENAME),
        "pictures": tuple(pictures),
    }


def parse_nitf(
    root: etree._Element, *, agency: str, default_language: str | None, max_items: int
) -> list[Article]:
    """A NITF document is one item: ``docdata`` gives identity, status and dates."""
    check_item_count(1, max_items)
    return [_article(root, agency=agency, default_language=default_language)]


def _article(root: etree._Element, *, agency: str, default_language: str | None) -> Article:
    docdata = child(root, "head", "docdata")
    doc_id = child(docdata, "doc-id")
    draft: dict[str, Any] = {"source_format": "nitf", **nitf_body(root)}
    draft["uri"] = attr(doc_id, "id-string")
    du_key = child(docdata, "du-key")
    version = attr(du_key, "version")
    draft["version"] = to_version(version, line(du_key)) if version else 1
    for field, name in (("version_created", "date.issue"), ("embargoed_until", "date.release")):
        node = child(docdata, name)
        if attr(node, "norm"):
            draft[field] = to_datetime(attr(node, "norm"), line(node))
    urgency = child(docdata, "urgency")
    if attr(urgency, "ed-urg"):
        draft["urgency"] = to_urgency(attr(urgency, "ed-urg"), line(urgency))
    status = attr(docdata, "management-status")
    if status and status.lower() != "embargoed":  # embargoed = usable after date.release
        draft["pub_status"] = to_pub_status(status, line(docdata))
    draft["language"] = root.get(XML_LANG) or _meta(root, "language")
    draft["ednote"] = attr(child(docdata, "ed-msg"), "info")
    correction = child(docdata, "correction")
    signalled = correction is not None
    draft["correction_note"] = attr(correction, "info") or correction_note(
        draft["ednote"], signalled=signalled
    )
    draft["subjects"] = tuple(
        Subject(
            code=attr(node, "tobject.subject.refnum"),
            name=attr(node, "tobject.subject.matter") or attr(node, "tobject.subject.type"),
            scheme="iptc-subjectcode",
        )
        for node in descendants(root, "tobject.subject")
    )
    identified = child(docdata, "identified-content")
    draft["places"] = tuple(
        Subject(name=place) for node in children(identified, "location") if (place := text(node))
    )
    draft["extra"] = _extra(root, docdata)
    return build_article(
        draft,
        agency=agency,
        default_language=default_language,
        pointers={
            "uri": line(doc_id if doc_id is not None else docdata),
            "headline": line(child(root, "body", "body.head")),
            "language": line(root),
            "body_html": line(child(root, "body", "body.content")),
        },
    )


def _picture(media: etree._Element) -> Picture:
    renditions = []
    for ref in children(media, "media-reference"):
        href = web_url(attr(ref, "source"))
        if href:
            width, height = attr(ref, "width"), attr(ref, "height")
            renditions.append(
                Rendition(
                    href=href,
                    mimetype=attr(ref, "mime-type"),
                    width=to_dimension(width, line(ref)) if width else None,
                    height=to_dimension(height, line(ref)) if height else None,
                )
            )
    return Picture(
        description=text(child(media, "media-caption")),
        credit=text(child(media, "media-producer")),
        renditions=tuple(renditions),
    )


def _meta(root: etree._Element, name: str) -> str | None:
    head = child(root, "head")
    for meta in children(head, "meta"):
        if (attr(meta, "name") or "").lower() == name:
            return attr(meta, "content")
    return None


def _extra(root: etree._Element, docdata: etree._Element | None) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    keywords = [attr(node, "key") for node in descendants(root, "keyword") if attr(node, "key")]
    if keywords:
        extra["keywords"] = keywords
    copyright_ = child(docdata, "doc.copyright")
    if attr(copyright_, "holder"):
        extra["copyright_holder"] = attr(copyright_, "holder")
    for key, node in (
        ("title", child(root, "head", "title")),
        ("tagline", child(root, "body", "body.end", "tagline")),
    ):
        if text(node):
            extra[key] = text(node)
    regsrc = attr(child(docdata, "doc-id"), "regsrc")
    if regsrc:
        extra["regsrc"] = regsrc
    return extra
