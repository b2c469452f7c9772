"""Strict, bounded JSON decoding: UTF-8 only, no NaN, nesting capped."""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import malformed
from .values import needs_scrub, scrub

MAX_DEPTH = 64
# A JSON escape of a character ``scrub`` drops: C0 controls, bidi controls, surrogates.
_ESCAPED_CONTROL = re.compile(r"\\u(?:00[01]|20(?:2[a-e]|6[6-9])|d[89a-f])", re.IGNORECASE)


def decode_utf8(body: bytes) -> str:
    """The body as text; invalid UTF-8 is a 400 naming the first bad byte."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise malformed(
            "invalid-encoding", f"invalid UTF-8 at byte {exc.start}: {exc.reason}"
        ) from exc


def load_json(body: bytes) -> Any:
    """Decode a JSON document, refusing anything nested deeper than ``MAX_DEPTH``."""
    text = decode_utf8(body)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        # The C decoder gives up near the interpreter's recursion limit (~1000 levels).
        raise _too_deep() from exc
    except ValueError as exc:
        raise malformed("malformed-json", f"not well-formed JSON: {exc}") from exc
    if needs_scrub(text) or _ESCAPED_CONTROL.search(text):
        return _scrubbed(value, 0)
    _check_depth(value, 0)  # nothing to drop: most documents only need the depth checked
    return value


def _too_deep() -> Exception:
    return malformed("json-too-deep", f"JSON nested deeper than {MAX_DEPTH} levels")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_depth(value: Any, depth: int) -> None:
    if isinstance(value, list | dict):
        if depth >= MAX_DEPTH:
            raise _too_deep()
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, list | dict):
                _check_depth(item, depth + 1)


def _scrubbed(value: Any, depth: int) -> Any:
    """Check the depth while dropping control characters and lone surrogates from strings."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list | dict):
        if depth >= MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, list):
            return [_scrubbed(item, depth + 1) for item in value]
        return {scrub(key): _scrubbed(item, depth + 1) for key, item in value.items()}
    return value
