"""Rate limits per reader and per address: moving windows kept in Redis by ``limits``.

Shared by every replica (the window lives in Redis), exact at the window's
edge (a moving window, not a fixed one a client can straddle).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from .errors import CommentsError

log = logging.getLogger(__name__)


class TooManyRequests(CommentsError):
    status = 429
    title = "Too many requests"


class RateLimiter:
    """Named limits, each checked against one or more keys (a reader id, an address)."""

    def __init__(self, redis_url: str, limits: dict[str, str]) -> None:
        self.storage = RedisStorage(f"async+{redis_url}", implementation="redispy",
                                    wrap_exceptions=True, key_prefix="wirestream:limits")
        self.strategy = MovingWindowRateLimiter(self.storage)
        self.items: dict[str, RateLimitItem] = {name: parse(v) for name, v in limits.items()}

    async def hit(self, name: str, key: str) -> None:
        """Count one request under limit ``name`` for ``key``; 429 once it is used up.

        When Redis cannot be reached the request is let through: moderation
        still screens every comment, and a Redis outage should not take
        commenting down with it.
        """
        item = self.items[name]
        try:
            if await self.strategy.hit(item, name, key):
                return
            stats = await self.strategy.get_window_stats(item, name, key)
        except StorageError as exc:
            log.warning("rate limiter unavailable, letting the request through",
                        extra={"limit": name, "error": repr(exc)})
            return
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyRequests(
            "rate-limited", f"Limit of {item} reached; retry in {retry} s.",
            headers={"Retry-After": str(retry)}, limit=str(item), retry_after=retry,
        )

    async def hit_all(self, *hits: tuple[str, str]) -> None:
        """Count several ``(limit, key)`` hits at once (one round trip's wait); 429 if any
        is used up."""
        results = await asyncio.gather(*(self.hit(name, key) for name, key in hits),
                                       return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def aclose(self) -> None:
        """Close the Redis connections ``limits`` opened (it has no public close)."""
        client = getattr(getattr(self.storage, "bridge", None), "storage", None)
        if client is not None and hasattr(client, "aclose"):
            await client.aclose()
