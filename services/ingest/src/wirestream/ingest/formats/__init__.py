"""The wire-format parsing layer of ingest: bytes in, canonical Articles out.

Pure: no I/O, no database, no bus. Everything an agency can send that we do
not accept is refused with a :class:`FormatError` carrying the HTTP status
and an RFC 9457 problem description; nothing else escapes ``parse_wire``.

Formats: ninjs 1.x/2.x/3.x (JSON), NewsML-G2 ``newsItem``/``newsMessage``,
NITF, RSS 2.0 and Atom (XML).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from wirestream.common.events import Article

from .detect import detect_family
from .errors import FormatError, malformed, unsupported
from .feeds import parse_atom, parse_rss
from .html import sanitize_html
from .jsonload import load_json
from .newsml import parse_g2
from .ninjs import parse_ninjs
from .nitf import parse_nitf
from .values import article_id_for
from .xml import parse_xml

__all__ = ["MAX_BODY_BYTES", "FormatError", "article_id_for", "parse_wire", "sanitize_html"]

MAX_BODY_BYTES = 10 * 1024 * 1024
_ATOM = "http://www.w3.org/2005/Atom"
_G2_UNSUPPORTED = {"packageItem", "conceptItem", "knowledgeItem", "planningItem", "catalog"}

_XmlParser = Callable[..., list[Article]]


def _xml_parser(root: etree._Element) -> _XmlParser:
    """The parser for a root element; NewsML-G2 and NITF namespaces vary, Atom's does not."""
    name = etree.QName(root)
    if name.localname in ("newsItem", "newsMessage"):
        return parse_g2
    if name.localname == "nitf":
        return parse_nitf
    if name.localname == "rss":
        return parse_rss
    if name.localname in ("feed", "entry") and name.namespace == _ATOM:
        return parse_atom
    what = "NewsML-G2 " if name.localname in _G2_UNSUPPORTED else ""
    raise unsupported(
        "unsupported-format",
        f"{what}<{name.localname}> documents are not accepted; send ninjs, a NewsML-G2 "
        "newsItem or newsMessage, NITF, RSS 2.0 or Atom",
    )


def parse_wire(
    body: bytes,
    content_type: str | None,
    *,
    agency: str,
    default_language: str | None = None,
    max_items: int = 500,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[Article]:
    """Parse one wire document into canonical Articles, one per item it carries.

    The format is chosen from ``content_type`` and, when that is generic
    (missing, ``application/octet-stream``, ``text/plain``, ``application/xml``),
    from the document itself. ``default_language`` fills in items that declare
    none. Raises :class:`FormatError` (400 / 413 / 415 / 422) for anything
    refused; returns an empty list for a feed or message with no text items.
    """
    if len(body) > max_bytes:
        raise FormatError(
            413, "payload-too-large", f"the body is {len(body)} bytes; the limit is {max_bytes}"
        )
    if not body.strip():
        raise malformed("empty-body", "the request body is empty")
    family = detect_family(body, content_type)
    if family == "json":
        return parse_ninjs(
            load_json(body), agency=agency, default_language=default_language, max_items=max_items
        )
    root = parse_xml(body)
    parser = _xml_parser(root)
    return parser(root, agency=agency, default_language=default_language, max_items=max_items)
