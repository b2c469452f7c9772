"""Thin subscribers: events in, one service call, committed."""

from __future__ import annotations

from datetime import UTC, datetime

from wirestream.common.events import Event
from wirestream.common.runtime import Runtime

from .service import track_articles


def article_tracker(runtime: Runtime):  # type: ignore[no-untyped-def]
    async def handle(events: list[Event]) -> None:
        async with runtime.transaction() as tx:
            await track_articles(tx, events, now=datetime.now(UTC))

    return handle
