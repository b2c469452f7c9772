"""What the soak samples: per service process RSS and open sockets, per stream its length,
and per consumer group its lag and pending count, plus Redis's clients and memory."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from wirestream.common.streams import ALL_STREAMS, DEAD_LETTERS


@dataclass
class Sample:
    t: float  # seconds since the start
    rss_mb: dict[str, float] = field(default_factory=dict)
    sockets: dict[str, int] = field(default_factory=dict)
    xlen: dict[str, int] = field(default_factory=dict)
    backlog: dict[str, int] = field(default_factory=dict)  # "stream/group" -> lag + pending
    redis_clients: int = 0
    redis_mb: float = 0.0

    @property
    def total_backlog(self) -> int:
        return sum(self.backlog.values())


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sockets(pid: int) -> int:
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:  # closed while we looked
            continue
    return count


def short(stream: str) -> str:
    return stream.removeprefix("wirestream:").removeprefix("articles:")


async def take(redis: Redis, pids: dict[str, int], started: float) -> Sample:
    s = Sample(t=time.monotonic() - started)
    for service, pid in pids.items():
        try:
            s.rss_mb[service], s.sockets[service] = rss_mb(pid), sockets(pid)
        except OSError:  # the process is gone (restarting)
            continue
    client: Any = redis
    try:
        info = await client.info()
        s.redis_clients, s.redis_mb = int(info["connected_clients"]), info["used_memory"] / 2**20
        for stream in (*ALL_STREAMS, DEAD_LETTERS):
            s.xlen[short(stream)] = int(await client.xlen(stream))
        for stream in ALL_STREAMS:
            for group in await client.xinfo_groups(stream):
                name = group["name"].decode()
                lag = group.get("lag")
                s.backlog[f"{short(stream)}/{name}"] = int(group["pending"]) + int(lag or 0)
    except RedisError:
        pass
    return s
