"""Stream trimming that never deletes an entry a consumer group still needs.

Redis 7's ``XADD MAXLEN`` trims regardless of consumer groups, so streams are
trimmed here instead, with ``XTRIM MINID`` at the oldest entry any group has
not acknowledged (its oldest pending entry, or the first entry after its
last-delivered id) — and never newer than the retention window, which keeps
recent history for the live ticker's ``Last-Event-ID`` replays.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from .cancel import reraise_if_cancelling
from .metrics import Metrics

log = logging.getLogger(__name__)


def _parse(stream_id: bytes | str) -> tuple[int, int]:
    text = stream_id.decode() if isinstance(stream_id, bytes) else stream_id
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def _fmt(value: tuple[int, int]) -> str:
    return f"{value[0]}-{value[1]}"


async def safe_min_id(redis: Redis, stream: str) -> tuple[int, int] | None:
    """The oldest id some consumer group has not acknowledged; None if no group exists."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:  # no such stream
        return None
    if not groups:
        return None
    bounds: list[tuple[int, int]] = []
    for group in groups:
        ms, seq = _parse(group["last-delivered-id"])
        bounds.append((ms, seq + 1))
        if int(group["pending"]):
            summary = await redis.xpending(stream, group["name"])
            if summary["min"]:
                bounds.append(_parse(summary["min"]))
    return min(bounds)


async def trim_stream(redis: Redis, stream: str, *, retention_s: int) -> int:
    """Trim ``stream`` up to what every group has acked and is past retention."""
    safe = await safe_min_id(redis, stream)
    if safe is None:
        return 0
    cutoff = (int(time.time() * 1000) - retention_s * 1000 + 1, 0)  # ms <= now - retention
    return int(await redis.xtrim(stream, minid=_fmt(min(safe, cutoff)), approximate=False))


async def sample(redis: Redis, stream: str, metrics: Metrics) -> None:
    """Record a stream's length and each group's lag and pending count."""
    try:
        metrics.stream_length.labels(stream).set(await redis.xlen(stream))
        for group in await redis.xinfo_groups(stream):
            name = group["name"].decode() if isinstance(group["name"], bytes) else group["name"]
            lag = group.get("lag")
            metrics.consumer_lag.labels(stream, name).set(float(lag) if lag is not None else 0)
            metrics.consumer_pending.labels(stream, name).set(int(group["pending"]))
    except ResponseError:
        return


class StreamTrimmer:
    """Trims and samples a set of streams every ``interval_s`` until cancelled."""

    def __init__(self, redis: Redis, streams: Sequence[str], *, metrics: Metrics,
                 retention_s: int, interval_s: float) -> None:
        self.redis = redis
        self.streams = tuple(streams)
        self.metrics = metrics
        self.retention_s = retention_s
        self.interval_s = interval_s

    async def run(self) -> None:
        while True:
            for stream in self.streams:
                try:
                    await trim_stream(self.redis, stream, retention_s=self.retention_s)
                    await sample(self.redis, stream, self.metrics)
                except RedisError as exc:
                    reraise_if_cancelling()
                    log.warning("trim failed", extra={"stream": stream, "error": repr(exc)})
            await asyncio.sleep(self.interval_s)
