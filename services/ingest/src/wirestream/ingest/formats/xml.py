"""Safe XML parsing (no DTDs, entities or network) and small tree helpers."""

from __future__ import annotations

import copy
import re
import xml.parsers.expat
from collections.abc import Iterator
from typing import Any

from lxml import etree

from .errors import FormatError, malformed, unsupported
from .html import normalize_space
from .jsonload import decode_utf8
from .values import scrub

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class _EntityDeclared(Exception):
    pass


def parse_xml(body: bytes) -> etree._Element:
    """Parse a wire document without ever expanding an entity or reading a DTD.

    Two passes: expat first, which stops at the first entity declaration
    (XXE, billion laughs) before anything is expanded; then lxml with entity
    resolution, DTD loading and network access off, for the tree we walk.
    """
    _check_encoding(body)
    _refuse_entity_declarations(body)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise malformed("malformed-xml", str(exc), f"line {exc.lineno}") from exc
    for entity in root.iter(etree.Entity):
        # A reference to an entity only an external DTD could define.
        raise FormatError(
            400,
            "xml-entities-forbidden",
            f"entity reference {entity.text} needs a DTD, which is never loaded",
            pointer=f"line {entity.sourceline}",
        )
    _scrub_tree(root)
    return root


def _scrub_tree(root: etree._Element) -> None:
    """Drop bidi controls from every text and attribute (XML 1.0 already refuses C0 ones).

    Done on the tree, not the bytes, because ``&#x202E;`` is the same character.
    """
    for node in root.iter():
        for name in ("text", "tail"):
            value = getattr(node, name)
            if value and (clean := scrub(value)) != value:
                setattr(node, name, clean)
        for key, value in node.attrib.items():
            if (clean := scrub(value)) != value:
                node.set(key, clean)


def _check_encoding(body: bytes) -> None:
    if body.startswith(_UTF16_BOMS):
        return
    declared = _DECLARED_ENCODING.match(body[:256])
    if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
        decode_utf8(body)


def _refuse_entity_declarations(body: bytes) -> None:
    def refuse(*args: Any) -> Any:
        raise _EntityDeclared(args[0])

    gate = xml.parsers.expat.ParserCreate()
    gate.EntityDeclHandler = refuse
    gate.UnparsedEntityDeclHandler = refuse
    gate.ExternalEntityRefHandler = refuse
    try:
        gate.Parse(body, True)
    except _EntityDeclared as exc:
        raise FormatError(
            400,
            "xml-entities-forbidden",
            f"the document declares or references entity {exc.args[0]!r}; "
            "DTD entities are refused (XXE, entity expansion)",
            pointer=f"line {gate.CurrentLineNumber}",
        ) from None
    except xml.parsers.expat.ExpatError as exc:
        raise malformed("malformed-xml", str(exc), f"line {exc.lineno}") from exc
    except LookupError as exc:  # encoding="..." names a codec nobody knows
        raise unsupported("unsupported-media-type", f"XML declares an {exc}") from exc


# --- tree helpers: namespaces vary between agencies, so match on local names --


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element: etree._Element | None, name: str) -> Iterator[etree._Element]:
    """Direct children with a local name (none when ``element`` is ``None``)."""
    return (child for child in (element if element is not None else ()) if local(child) == name)


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element along a path of local names, or ``None``."""
    for name in path:
        if element is None:
            return None
        element = next(children(element, name), None)
    return element


def descendants(element: etree._Element | None, name: str) -> Iterator[etree._Element]:
    if element is None:
        return iter(())
    return (node for node in element.iter() if local(node) == name)


def text(element: etree._Element | None) -> str | None:
    """All the text inside an element, whitespace collapsed; ``None`` when empty."""
    if element is None:
        return None
    return normalize_space("".join(element.itertext())) or None


def attr(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(name)
    return value.strip() or None if value is not None else None


def drop(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it (lxml moves the tail along)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def line(element: etree._Element | None) -> str:
    return f"line {element.sourceline}" if element is not None else "line 1"


def inner_html(element: etree._Element | None, rename: dict[str, str] | None = None) -> str:
    """The children of an element as an HTML string, namespaces stripped.

    The result still goes through ``sanitize_html``; this only turns parsed
    XML (XHTML, NITF body markup) back into markup.
    """
    if element is None:
        return ""
    tree = copy.deepcopy(element)
    for node in tree.iter():
        name = local(node)
        node.tag = (rename or {}).get(name, name)
        for key in list(node.attrib):
            if key == XML_LANG:
                node.set("lang", node.attrib.pop(key))
            elif key.startswith("{"):
                del node.attrib[key]
    etree.cleanup_namespaces(tree)
    parts = [tree.text or ""]
    parts += [etree.tostring(node, method="html", encoding="unicode") for node in tree]
    return "".join(parts)
