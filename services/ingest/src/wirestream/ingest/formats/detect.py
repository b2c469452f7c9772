"""Which parser a body goes to: the Content-Type first, the bytes when the type is generic."""

from __future__ import annotations

from typing import Literal

from .errors import malformed, unsupported

Family = Literal["json", "xml"]

_JSON_TYPES = {"application/json", "text/json", "application/ninjs+json"}
# Types that say too little about the document (plain XML could be any vocabulary,
# and agencies label JSON as it too): look at the bytes instead.
_GENERIC_TYPES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "text/plain",
    "application/xml",
    "text/xml",
}
_UTF8_CHARSETS = {"utf-8", "utf8", "us-ascii"}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """``"Application/JSON; charset=UTF-8"`` as ``("application/json", {"charset": "utf-8"})``."""
    if not content_type:
        return "", {}
    essence, _, rest = content_type.partition(";")
    params: dict[str, str] = {}
    for part in rest.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            params[name.strip().lower()] = value.strip().strip('"').lower()
    return essence.strip().lower(), params


def detect_family(body: bytes, content_type: str | None) -> Family:
    """JSON or XML, from a specific Content-Type or by sniffing a generic one.

    Raises a 415 for a type that is neither (HTML, images, forms) and for a
    generic type whose body is recognisably neither.
    """
    essence, params = media_type(content_type)
    if essence in _JSON_TYPES or essence.endswith("+json"):
        charset = params.get("charset")
        if charset and charset not in _UTF8_CHARSETS:
            raise unsupported(
                "unsupported-media-type", f"JSON must be UTF-8, not charset={charset}"
            )
        return "json"
    if essence in _GENERIC_TYPES:
        return sniff(body)
    if essence.endswith("+xml"):
        return "xml"
    raise unsupported(
        "unsupported-media-type",
        f"{essence} is not accepted; send ninjs (JSON), NewsML-G2, NITF, RSS or Atom (XML)",
    )


def sniff(body: bytes) -> Family:
    """Guess the family from the first meaningful byte."""
    if body.startswith(_BOMS[1:]):
        return "xml"  # UTF-16: JSON must be UTF-8, so only XML can be meant
    head = body.removeprefix(_BOMS[0]).lstrip(b" \t\r\n")
    if not head:
        raise malformed("empty-body", "the request body is empty")
    if head[:1] in (b"{", b"["):
        return "json"
    if head[:1] == b"<":
        return "xml"
    raise unsupported("unsupported-format", "the body is neither a JSON nor an XML document")
