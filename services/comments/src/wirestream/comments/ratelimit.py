"""Rate limits per reader and per address: moving windows kept in Redis.

Shared by every replica (the window lives in Redis), exact at the window's
edge (a moving window, not a fixed one a client can straddle). Every limit a
request is held to is checked and counted by one Lua script, in one round
trip: all of them are counted, or, when one is used up, none is.

A window is a list of the latest ``amount`` hit times (ms, Redis's clock): the
limit is used up while the oldest of them is younger than the window.

The script calls of requests that reach the limiter in the same turn of the
event loop go to Redis in one pipeline: one write and one read for all of
them (under a burst of comments, dozens), instead of one round trip each. Each
call is still its own script run, so each request is counted, or refused, on
its own.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

from limits import RateLimitItem, parse
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError

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
        self._redis = redis
        self._script = redis.register_script(_HIT)
        self._queued: list[_Call] = []
        self._sending: set[asyncio.Task[None]] = set()

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
            full, wait_ms = await self._call([f"{KEY_PREFIX}{name}:{key}" for name, key in hits],
                                             args)
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

    def _call(self, keys: list[str], args: list[int]) -> asyncio.Future[Any]:
        """The script's answer for ``keys``/``args``, sent with the other calls queued in
        this turn of the event loop."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()
        self._queued.append((keys, args, answer))
        if len(self._queued) == 1:
            loop.call_soon(self._send_queued)
        return answer

    def _send_queued(self) -> None:
        calls, self._queued = self._queued, []
        task = asyncio.create_task(self._send(calls))
        self._sending.add(task)  # held until done (the loop keeps only weak references)
        task.add_done_callback(self._sending.discard)

    async def _send(self, calls: list[_Call]) -> None:
        try:
            if len(calls) == 1:
                keys, args, _ = calls[0]
                results: list[Any] = [await self._script(keys=keys, args=args)]
            else:
                results = await self._pipelined(calls)
        except asyncio.CancelledError:
            for *_, answer in calls:
                answer.cancel()
            raise
        except Exception as exc:  # handed to every caller (a RedisError lets them through)
            for *_, answer in calls:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for (*_, answer), result in zip(calls, results, strict=True):
            if answer.done():  # the request went away meanwhile
                continue
            if isinstance(result, Exception):
                answer.set_exception(result)
            else:
                answer.set_result(result)

    async def _pipelined(self, calls: list[_Call]) -> list[Any]:
        # EVALSHA directly rather than the Script object on the pipeline, which asks
        # SCRIPT EXISTS first (a second round trip) on every execute.
        sha = self._script.sha
        async with self._redis.pipeline(transaction=False) as pipe:
            for keys, args, _ in calls:
                pipe.evalsha(sha, len(keys), *keys, *args)
            results: list[Any] = await pipe.execute(raise_on_error=False)
        for i, result in enumerate(results):
            if isinstance(result, NoScriptError):  # Redis restarted or flushed its scripts
                keys, args, _ = calls[i]
                results[i] = await self._script(keys=keys, args=args)  # loads it again
        return results


_Call = tuple[list[str], list[int], "asyncio.Future[Any]"]
