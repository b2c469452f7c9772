"""Shared helpers for the wire-format tests: sample files and a parse shortcut."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wirestream.common.events import Article
from wirestream.ingest.formats import FormatError, parse_wire

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    def read(name: str) -> bytes:
        return (SAMPLES / name).read_bytes()

    return read


@pytest.fixture
def parse(sample: Callable[[str], bytes]) -> Callable[..., list[Article]]:
    """Parse a sample file (content type sniffed unless given)."""

    def run(name: str, content_type: str | None = None, **kwargs: object) -> list[Article]:
        kwargs.setdefault("agency", "wna")
        return parse_wire(sample(name), content_type, **kwargs)  # type: ignore[arg-type]

    return run


@pytest.fixture
def refused() -> Callable[..., FormatError]:
    """The FormatError a body is refused with (the test fails if it is accepted)."""

    def run(body: bytes, content_type: str | None = None, **kwargs: object) -> FormatError:
        kwargs.setdefault("agency", "wna")
        with pytest.raises(FormatError) as caught:
            parse_wire(body, content_type, **kwargs)  # type: ignore[arg-type]
        return caught.value

    return run
