"""Thin subscribers: events in, one service call, committed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from wirestream.common.events import Event
from wirestream.common.runtime import Runtime

from .articles import track_articles


def article_tracker(runtime: Runtime) -> Callable[[list[Event]], Awaitable[None]]:
    async def handle(events: list[Event]) -> None:
        async with runtime.transaction() as tx:
            await track_articles(tx, events, now=datetime.now(UTC))

    return handle
