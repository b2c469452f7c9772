"""Reads ``articles:published`` as a downstream app would (XREAD, no group), keeping every
event it sees, through Redis outages and restarts."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from wirestream.common.envelope import unpack_envelope
from wirestream.common.streams import ARTICLES_PUBLISHED


@dataclass
class PublishedTail:
    redis_url: str
    events: dict[str, dict[str, object]] = field(default_factory=dict)  # event_id -> event
    last_id: str = "0-0"

    async def run(self) -> None:
        client = aioredis.Redis.from_url(self.redis_url)
        try:
            while True:
                try:
                    answer: Any = await client.xread({ARTICLES_PUBLISHED: self.last_id},
                                                count=500, block=500)
                except (RedisError, OSError):
                    await asyncio.sleep(0.5)
                    continue
                for _stream, entries in answer:
                    for entry_id, fields in entries:
                        self.last_id = entry_id.decode()
                        self._keep(fields)
        finally:
            await client.aclose()

    def _keep(self, fields: dict[bytes, bytes]) -> None:
        try:
            event = json.loads(unpack_envelope(fields[b"__data__"])[0])
            event_id, _ = str(event["event_id"]), event["article_id"]
        except (KeyError, ValueError, TypeError):
            return  # the poison scenario's own entries
        self.events.setdefault(event_id, event)

    def live_article_ids(self) -> list[str]:
        """Articles published (and not taken down since), in order of first publication."""
        state: dict[str, bool] = {}
        for event in list(self.events.values()):
            state[str(event["article_id"])] = event["event_type"] == "article.published"
        return [a for a, live in state.items() if live]

    def published_twice(self) -> list[tuple[str, int]]:
        """(article, version) pairs put live by more than one event: duplicated work."""
        seen: dict[tuple[str, int], int] = {}
        for event in list(self.events.values()):
            if event["event_type"] == "article.published":
                key = (str(event["article_id"]), int(event["version"]))  # type: ignore[call-overload]
                seen[key] = seen.get(key, 0) + 1
        return [k for k, n in seen.items() if n > 1]
