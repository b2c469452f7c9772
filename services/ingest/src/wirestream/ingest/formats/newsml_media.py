"""Pictures in NewsML-G2: picture items of a newsMessage, and links to them."""

from __future__ import annotations

from lxml import etree

from wirestream.common.events import Picture, Rendition

from .values import last_segment, to_dimension, web_url
from .xml import attr, child, children, descendants, line, text


def picture_item(item: etree._Element) -> Picture:
    """A ``ninat:picture`` item: caption, credit and its ``remoteContent`` renditions."""
    content = child(item, "contentMeta")
    renditions = []
    for remote in descendants(item, "remoteContent"):
        href = web_url(attr(remote, "href"))
        if href:
            width, height = attr(remote, "width"), attr(remote, "height")
            renditions.append(
                Rendition(
                    href=href,
                    mimetype=attr(remote, "contenttype"),
                    width=to_dimension(width, line(remote)) if width else None,
                    height=to_dimension(height, line(remote)) if height else None,
                    title=last_segment(attr(remote, "rendition")) or None,
                )
            )
    return Picture(
        uri=attr(item, "guid"),
        headline=text(child(content, "headline")),
        description=text(child(content, "description")),
        credit=text(child(content, "creditline")) or text(child(content, "by")),
        renditions=tuple(renditions),
    )


def linked_pictures(meta: etree._Element | None, known: dict[str | None, Picture]) -> list[Picture]:
    """``itemMeta/link`` to a picture: the full item when the message carries it."""
    found = []
    for link in children(meta, "link"):
        ref, href = attr(link, "residref"), web_url(attr(link, "href"))
        if ref in known:
            found.append(known[ref])
        elif (attr(link, "contenttype") or "").startswith("image/") and (ref or href):
            renditions = (Rendition(href=href, mimetype=attr(link, "contenttype")),) if href else ()
            found.append(
                Picture(uri=ref or href, headline=text(child(link, "title")), renditions=renditions)
            )
    return found
