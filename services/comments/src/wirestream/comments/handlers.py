"""Thin subscribers: events in, one service call, committed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from wirestream.common.events import ArticleKilled, Event
from wirestream.common.runtime import Runtime

from .articles import track_articles


def article_tracker(runtime: Runtime) -> Callable[[list[Event]], Awaitable[None]]:
    async def handle(events: list[Event]) -> None:
        async with runtime.transaction() as tx:
            await track_articles(tx, events, now=datetime.now(UTC))

    return handle


def kill_tracker(runtime: Runtime) -> Callable[[list[Event]], Awaitable[None]]:
    """Kills from enrich's stream (its other events are not ours: acked untouched)."""
    track = article_tracker(runtime)

    async def handle(events: list[Event]) -> None:
        kills = [e for e in events if isinstance(e, ArticleKilled)]
        if kills:
            await track(kills)

    return handle
