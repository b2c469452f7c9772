"""Trimming never removes an entry some consumer group has not acknowledged."""

from __future__ import annotations

import redis.asyncio as aioredis

from wirestream.common.trim import trim_stream

S = "test:trim"


async def test_trim_keeps_everything_a_group_still_needs(redis_url: str) -> None:
    r = aioredis.Redis.from_url(redis_url)
    ids = [await r.xadd(S, {"n": str(i)}) for i in range(10)]
    await r.xgroup_create(S, "fast", id="0")
    await r.xgroup_create(S, "slow", id="0")
    fast = await r.xreadgroup("fast", "c1", {S: ">"}, count=10)
    await r.xack(S, "fast", *[i for i, _ in fast[0][1]])
    slow = await r.xreadgroup("slow", "c2", {S: ">"}, count=6)
    await r.xack(S, "slow", *[i for i, _ in slow[0][1][:3]])  # entries 3..5 stay pending

    removed = await trim_stream(r, S, retention_s=0)

    assert removed == 3
    remaining = [i for i, _ in await r.xrange(S)]
    assert remaining == ids[3:]
    # Pending entries are still claimable and unread entries still readable.
    assert len((await r.xpending_range(S, "slow", "-", "+", 10))) == 3
    rest = await r.xreadgroup("slow", "c2", {S: ">"}, count=10)
    assert len(rest[0][1]) == 4
    await r.aclose()


async def test_trim_respects_retention_and_streams_without_groups(redis_url: str) -> None:
    r = aioredis.Redis.from_url(redis_url)
    for i in range(5):
        await r.xadd(S, {"n": str(i)})
    assert await trim_stream(r, S, retention_s=0) == 0  # no group: nobody has acked anything
    await r.xgroup_create(S, "g", id="$")  # the group starts after the existing entries
    assert await trim_stream(r, S, retention_s=3600) == 0  # all are younger than retention
    assert await trim_stream(r, S, retention_s=0) == 5
    await r.aclose()
