"""RSS 2.0 and Atom feeds: every item or entry becomes one Article (version 1)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from wirestream.common.events import Article, Picture, Rendition, Subject

from .build import build_article
from .errors import check_item_count
from .html import html_or_text, html_to_text, text_to_html
from .values import to_datetime, to_dimension, web_url
from .xml import XML_LANG, attr, child, children, inner_html, line, local, text

_EMAIL_WITH_NAME = re.compile(r"\S+@\S+\s*\((.+)\)")


def parse_rss(
    root: etree._Element, *, agency: str, default_language: str | None, max_items: int
) -> list[Article]:
    """``rss/channel/item``; the channel's ``language`` is every item's default."""
    channel = child(root, "channel")
    items = list(children(channel, "item"))
    check_item_count(len(items), max_items)
    language = text(child(channel, "language")) or root.get(XML_LANG)
    return [
        _rss_item(item, language, agency=agency, default_language=default_language)
        for item in items
    ]


def parse_atom(
    root: etree._Element, *, agency: str, default_language: str | None, max_items: int
) -> list[Article]:
    """An Atom ``feed`` (its entries) or a lone ``entry`` document."""
    entries = [root] if etree.QName(root).localname == "entry" else list(children(root, "entry"))
    check_item_count(len(entries), max_items)
    return [
        _atom_entry(entry, root.get(XML_LANG), agency=agency, default_language=default_language)
        for entry in entries
    ]


def _rss_item(
    item: etree._Element, feed_language: str | None, *, agency: str, default_language: str | None
) -> Article:
    link = text(child(item, "link"))
    description = child(item, "description")
    encoded = child(item, "encoded")  # content:encoded
    body = encoded if encoded is not None else description
    draft: dict[str, Any] = {
        "source_format": "rss",
        "uri": text(child(item, "guid")) or link,
        "headline": html_to_text(text(child(item, "title")) or "", pointer=line(item)),
        "summary": html_to_text(description.text or "", pointer=line(description))
        if description is not None else None,
        "body_html": html_or_text(body.text or "") if body is not None else "",
        "byline": text(child(item, "creator")) or _rss_author(text(child(item, "author"))),
        "language": text(child(item, "language")) or feed_language,
        "subjects": tuple(
            Subject(name=name, scheme=attr(node, "domain"))
            for node in children(item, "category")
            if (name := text(node))
        ),
        "pictures": _media(item),
        "extra": {"link": link} if link else {},
    }
    when = child(item, "pubDate")
    if when is None:
        when = child(item, "date")  # dc:date
    if text(when):
        draft["version_created"] = to_datetime(text(when), line(when))
    return build_article(
        draft,
        agency=agency,
        default_language=default_language,
        pointers={"uri": line(item), "headline": line(item), "language": line(item),
                  "body_html": line(item)},
    )


def _atom_entry(
    entry: etree._Element, feed_language: str | None, *, agency: str, default_language: str | None
) -> Article:
    links = list(children(entry, "link"))
    alternate = next(
        (attr(li, "href") for li in links if attr(li, "rel") in (None, "alternate")), None
    )
    summary = child(entry, "summary")
    content = child(entry, "content")
    draft: dict[str, Any] = {
        "source_format": "atom",
        "uri": text(child(entry, "id")) or alternate,
        "headline": html_to_text(_atom_html(child(entry, "title")), pointer=line(entry)),
        "summary": html_to_text(_atom_html(summary), pointer=line(summary)) or None,
        "body_html": _atom_html(content if content is not None else summary),
        "byline": ", ".join(filter(None, map(text, _author_names(entry)))) or None,
        "language": entry.get(XML_LANG) or feed_language,
        "subjects": tuple(
            Subject(code=attr(node, "term"), name=attr(node, "label"), scheme=attr(node, "scheme"))
            for node in children(entry, "category")
            if attr(node, "term") or attr(node, "label")
        ),
        "pictures": _media(entry),
        "extra": {"link": alternate} if alternate else {},
    }
    for field, name in (("version_created", "updated"), ("first_created", "published")):
        node = child(entry, name)
        if text(node):
            draft[field] = to_datetime(text(node), line(node))
    draft.setdefault("version_created", draft.get("first_created"))
    return build_article(
        draft,
        agency=agency,
        default_language=default_language,
        pointers={"uri": line(entry), "headline": line(entry), "language": line(entry),
                  "body_html": line(entry)},
    )


def _author_names(entry: etree._Element) -> list[etree._Element | None]:
    return [child(author, "name") for author in children(entry, "author")]


def _rss_author(author: str | None) -> str | None:
    """RSS ``author`` is an e-mail address, often with the name in brackets: keep the name."""
    match = _EMAIL_WITH_NAME.fullmatch(author or "")
    return match.group(1).strip() if match else author


def _atom_html(node: etree._Element | None) -> str:
    """An Atom text construct as HTML, whichever of text / html / xhtml it is."""
    if node is None:
        return ""
    kind = attr(node, "type") or "text"
    if kind == "xhtml":
        div = child(node, "div")
        return inner_html(div if div is not None else node)
    if kind == "html" or kind.endswith("html"):
        return html_or_text(node.text or "")
    return text_to_html(node.text or "")


def _media(item: etree._Element) -> tuple[Picture, ...]:
    """Image enclosures and Media RSS: a ``media:group`` is one picture in several sizes."""
    pictures = []
    for node in item:
        if local(node) == "group":
            renditions = tuple(r for n in node if (r := _rendition(n)) is not None)
            if renditions:
                pictures.append(_picture(node, renditions))
        elif (rendition := _rendition(node)) is not None:
            pictures.append(_picture(node, (rendition,)))
    return tuple(pictures)


def _rendition(node: etree._Element) -> Rendition | None:
    name, kind = local(node), attr(node, "type") or ""
    href = web_url(attr(node, "href") if name == "link" else attr(node, "url"))
    if name == "link" and attr(node, "rel") != "enclosure":
        return None
    is_image = kind.startswith("image/") or attr(node, "medium") == "image" or name == "thumbnail"
    if not href or not is_image or name not in ("enclosure", "content", "thumbnail", "link"):
        return None
    width, height = attr(node, "width"), attr(node, "height")
    return Rendition(
        href=href,
        mimetype=kind or None,
        width=to_dimension(width, line(node)) if width else None,
        height=to_dimension(height, line(node)) if height else None,
    )


def _picture(node: etree._Element, renditions: tuple[Rendition, ...]) -> Picture:
    return Picture(
        headline=text(child(node, "title")),
        description=text(child(node, "description")),
        credit=text(child(node, "credit")),
        renditions=renditions,
    )
