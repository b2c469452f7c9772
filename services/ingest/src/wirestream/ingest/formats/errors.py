"""The one exception the parsing layer raises: a refusal of the client's input."""

from __future__ import annotations

from typing import Any

_TITLES: dict[str, str] = {
    "empty-body": "The request body is empty",
    "invalid-encoding": "The document is not valid UTF-8",
    "malformed-json": "The document is not well-formed JSON",
    "json-too-deep": "The JSON document is nested too deeply",
    "malformed-xml": "The document is not well-formed XML",
    "xml-entities-forbidden": "XML entity declarations are not accepted",
    "payload-too-large": "The document is too large",
    "too-many-items": "The document carries too many items",
    "unsupported-media-type": "The content type is not supported",
    "unsupported-format": "The document is not a supported wire format",
    "missing-field": "A required field is missing",
    "invalid-field": "A field has an invalid value",
    "html-too-deep": "The HTML is nested too deeply",
    "html-too-many-references": "The HTML has too many character references",
}


class FormatError(Exception):
    """A wire document the parser refuses, described for an RFC 9457 problem.

    ``status`` is the HTTP status the refusal maps to (400 malformed, 413 too
    large, 415 unsupported type, 422 invalid content), ``type`` a short slug,
    ``pointer`` the offending field as a JSON pointer, or ``"line N"`` in XML.
    """

    def __init__(
        self,
        status: int,
        type: str,
        detail: str,
        *,
        pointer: str | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.type = type
        self.title = title or _TITLES.get(type, "The document was refused")
        self.detail = detail
        self.pointer = pointer

    def __repr__(self) -> str:
        return (
            f"FormatError({self.status}, {self.type!r}, {self.detail!r}, pointer={self.pointer!r})"
        )

    def to_problem(self, *, type_base: str = "") -> dict[str, Any]:
        """The refusal as RFC 9457 members; ``type_base`` prefixes the slug into a URI."""
        problem: dict[str, Any] = {
            "type": f"{type_base}{self.type}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.pointer is not None:
            problem["pointer"] = self.pointer
        return problem


def malformed(type: str, detail: str, pointer: str | None = None) -> FormatError:
    return FormatError(400, type, detail, pointer=pointer)


def missing(pointer: str, detail: str) -> FormatError:
    return FormatError(422, "missing-field", detail, pointer=pointer)


def invalid(pointer: str, detail: str) -> FormatError:
    return FormatError(422, "invalid-field", detail, pointer=pointer)


def unsupported(type: str, detail: str) -> FormatError:
    return FormatError(415, type, detail)


def check_item_count(count: int, max_items: int) -> None:
    """A 413 when one document carries more items than the caller accepts."""
    if count > max_items:
        raise FormatError(
            413, "too-many-items", f"the document carries {count} items; the limit is {max_items}"
        )
