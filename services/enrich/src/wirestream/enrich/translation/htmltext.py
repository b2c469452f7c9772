"""HTML as a run of tags and text, so that translation touches only the text.

Engines that translate plain text (Argos) translate each text run and the
tags are put back as they were; for engines that take HTML (LibreTranslate,
an LLM) :func:`tag_outline` checks that the answer kept every tag.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser


class _Splitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[bool, str]] = []  # (is_text, text or raw tag)
        self.outline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append((False, self.get_starttag_text() or f"<{tag}>"))
        self.outline.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append((False, f"</{tag}>"))
        self.outline.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        if self.parts and self.parts[-1][0]:
            data = self.parts.pop()[1] + data
        self.parts.append((True, data))

    def handle_comment(self, data: str) -> None:
        self.parts.append((False, f"<!--{data}-->"))


def _split(fragment: str) -> _Splitter:
    splitter = _Splitter()
    splitter.feed(fragment)
    splitter.close()
    return splitter


def tag_outline(fragment: str) -> list[str]:
    """The sequence of tag names (``"p"``, ``"/p"``) in an HTML fragment."""
    return _split(fragment).outline


def translate_text_runs(fragment: str, translate: Callable[[str], str]) -> str:
    """``fragment`` with every non-blank text run passed through ``translate``.

    Runs are unescaped before and escaped after, so ``&amp;`` reaches the
    engine as ``&``; surrounding whitespace is kept as it was.
    """
    out = []
    for is_text, part in _split(fragment).parts:
        if not is_text or not part.strip():
            out.append(html.escape(part, quote=False) if is_text else part)
            continue
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()):]
        out.append(lead + html.escape(translate(part.strip()), quote=False) + trail)
    return "".join(out)
