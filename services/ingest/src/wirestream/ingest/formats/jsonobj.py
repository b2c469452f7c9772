"""Typed, pointer-aware access to one JSON object of a ninjs document.

ninjs field names changed case between generations (``versioncreated`` in
1.x, ``versionCreated`` in 2.x) and agencies mix the two, so lookups ignore
case. Every key read is remembered: whatever is left goes to ``Article.extra``.
"""

from __future__ import annotations

from typing import Any

from .errors import invalid


def pointer_to(base: str, key: str | int) -> str:
    """RFC 6901: ``~`` and ``/`` escaped inside a token."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{base}/{token}"


class JsonObject:
    """A JSON object with the JSON pointer it sits at."""

    def __init__(self, data: dict[str, Any], pointer: str) -> None:
        self.data = data
        self.pointer = pointer
        self._keys = {key.lower(): key for key in reversed(list(data))}
        self._used: set[str] = set()

    @classmethod
    def at(cls, value: Any, pointer: str) -> JsonObject:
        if not isinstance(value, dict):
            raise invalid(pointer, f"expected an object, got {type(value).__name__}")
        return cls(value, pointer)

    def key(self, *names: str) -> str | None:
        """The document's spelling of the first of ``names`` present."""
        for name in names:
            key = self._keys.get(name.lower())
            if key is not None:
                return key
        return None

    def ptr(self, *names: str) -> str:
        return pointer_to(self.pointer, self.key(*names) or names[0])

    def peek(self, *names: str) -> Any:
        key = self.key(*names)
        return None if key is None else self.data[key]

    def get(self, *names: str) -> Any:
        """The value (``None`` if absent or null), marking the key as read."""
        key = self.key(*names)
        if key is None:
            return None
        self._used.add(key)
        return self.data[key]

    def text(self, *names: str) -> str | None:
        value = self.get(*names)
        if value is None or isinstance(value, str):
            return value
        raise invalid(self.ptr(*names), f"expected a string, got {type(value).__name__}")

    def array(self, *names: str) -> list[tuple[str, Any]]:
        """The items of an array with their pointers (``[]`` when absent)."""
        value = self.get(*names)
        if value is None:
            return []
        if not isinstance(value, list):
            raise invalid(self.ptr(*names), f"expected an array, got {type(value).__name__}")
        base = self.ptr(*names)
        return [(pointer_to(base, index), item) for index, item in enumerate(value)]

    def objects(self, *names: str) -> list[JsonObject]:
        return [JsonObject.at(item, pointer) for pointer, item in self.array(*names)]

    def keyed(self, *names: str) -> list[tuple[str, JsonObject]]:
        """An object of named objects (ninjs 1.x/2.x) or an array of objects with
        a ``name`` (ninjs 3.x), as ``(name, object)`` pairs in document order."""
        value = self.get(*names)
        if value is None:
            return []
        base = self.ptr(*names)
        if isinstance(value, dict):
            return [(k, JsonObject.at(v, pointer_to(base, k))) for k, v in value.items()]
        pairs = []
        for pointer, item in self.array(*names):
            entry = JsonObject.at(item, pointer)
            name = entry.text("name") or ""
            pairs.append((name, entry))
        return pairs

    def rest(self) -> dict[str, Any]:
        """The keys nobody read."""
        return {key: value for key, value in self.data.items() if key not in self._used}
