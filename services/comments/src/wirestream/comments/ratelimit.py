"""Rate limits per reader and per address: moving windows kept in Redis.

Shared by every replica (the window lives in Redis), exact at the window's
edge (a moving window, not a fixed one a client can straddle). Every limit a
request is held to is checked and counted by one Lua script, in one round
trip: all of them are counted, or, when one is used up, none is.

A window is a list of the latest ``amount`` hit times (ms, Redis's clock): the
limit is used up while the oldest of them is younger than the window.
"""

from __future__ import annotations

import logging
import math

from limits import RateLimitItem, parse
from redis.asyncio import Redis
from redis.exceptions import RedisError

from .errors import CommentsError

log = logging.getLogger(__name__)

KEY_PREFIX = "wirestream:rl:"

# KEYS: one list per limit; ARGV: amount and window (ms) per key, in order.
# Returns {0, 0} when counted, else {index of the used-up limit (1-based), ms to wait}.
_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  local amount, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local oldest = redis.call('LINDEX', key, amount - 1)
  if oldest and tonumber(oldest) > now - window then
    return {i, tonumber(oldest) + window - now}
  end
end
for i, key in ipairs(KEYS) do
  local amount, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  redis.call('LPUSH', key, now)
  redis.call('LTRIM', key, 0, amount - 1)
  redis.call('PEXPIRE', key, window)
end
return {0, 0}
"""


class TooManyRequests(CommentsError):
    status = 429
    title = "Too many requests"


class RateLimiter:
    """Named limits, each checked against one or more keys (a reader id, an address)."""

    def __init__(self, redis: Redis, limits: dict[str, str]) -> None:
        self.items: dict[str, RateLimitItem] = {name: parse(v) for name, v in limits.items()}
        self._script = redis.register_script(_HIT)

    async def hit(self, name: str, key: str) -> None:
        """Count one request under limit ``name`` for ``key``; 429 once it is used up."""
        await self.hit_all((name, key))

    async def hit_all(self, *hits: tuple[str, str]) -> None:
        """Count several ``(limit, key)`` hits in one round trip; 429 if any is used up
        (and then none is counted).

        When Redis cannot be reached the request is let through: moderation
        still screens every comment, and a Redis outage should not take
        commenting down with it.
        """
        items = [self.items[name] for name, _ in hits]
        args: list[int] = []
        for item in items:
            args += [item.amount, item.get_expiry() * 1000]
        try:
            full, wait_ms = await self._script(
                keys=[f"{KEY_PREFIX}{name}:{key}" for name, key in hits], args=args)
        except RedisError as exc:
            log.warning("rate limiter unavailable, letting the request through",
                        extra={"limits": [name for name, _ in hits], "error": repr(exc)})
            return
        if not full:
            return
        item = items[int(full) - 1]
        retry = max(1, math.ceil(int(wait_ms) / 1000))
        raise TooManyRequests(
            "rate-limited", f"Limit of {item} reached; retry in {retry} s.",
            headers={"Retry-After": str(retry)}, limit=str(item), retry_after=retry,
        )
