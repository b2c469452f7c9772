"""Parsing wire documents without stalling the event loop.

Parsing and sanitising are CPU-bound: a 3 KB item takes well under a
millisecond, but a 5 MB body takes seconds, during which an event loop that
ran it would answer nothing, not even ``/health``. Documents from
``inline_below`` bytes up are parsed in a worker thread (lxml and nh3 release
the GIL for most of that work); smaller ones inline, where a thread hop would
cost more than the parse. At most ``threads`` large documents are parsed at
once, so a burst of them queues instead of starving everything else.
"""

from __future__ import annotations

import functools

import anyio
import anyio.to_thread

from wirestream.common.events import Article

from .formats import parse_wire

INLINE_BELOW = 32 * 1024
THREADS = 2


class Parser:
    """``parse_wire``, run in a worker thread for large documents."""

    def __init__(self, *, inline_below: int = INLINE_BELOW, threads: int = THREADS) -> None:
        self.inline_below = inline_below
        self.limiter = anyio.CapacityLimiter(threads)

    @property
    def busy(self) -> int:
        """How many documents are being parsed in worker threads right now."""
        return int(self.limiter.borrowed_tokens)

    async def parse(self, body: bytes, content_type: str | None, *, agency: str,
                    default_language: str | None, max_bytes: int) -> list[Article]:
        """The document's articles; raises ``FormatError`` like ``parse_wire``."""
        run = functools.partial(parse_wire, body, content_type, agency=agency,
                                default_language=default_language, max_bytes=max_bytes)
        if len(body) < self.inline_below:
            return run()
        return await anyio.to_thread.run_sync(run, limiter=self.limiter)
