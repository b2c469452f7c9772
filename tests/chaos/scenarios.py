"""The faults, one per scenario, and the timings they run with.

``quick`` timings fit CI (each scenario about a minute on a loaded 2-core machine);
``WIRESTREAM_CHAOS_FULL=1`` runs the long ones: five minutes of load, one-minute outages.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis

from wirestream.cli.dev import SERVICES
from wirestream.common.envelope import encode_payload
from wirestream.common.streams import (
    ARTICLES_ENRICHED,
    ARTICLES_INGESTED,
    ARTICLES_PUBLISHED,
    COMMENTS,
)

from .receivers import Behaviour
from .stack import Stack

POISON_STREAMS = (ARTICLES_INGESTED, ARTICLES_ENRICHED, ARTICLES_PUBLISHED, COMMENTS)


@dataclass(frozen=True)
class Timings:
    load_s: float
    rate: float  # wire documents per second
    comment_rate: float
    fault_at_s: float
    outage_s: float
    settle_s: float


QUICK = Timings(load_s=30, rate=2.5, comment_rate=1.0, fault_at_s=6, outage_s=12, settle_s=150)
FULL = Timings(load_s=300, rate=5, comment_rate=2, fault_at_s=60, outage_s=60, settle_s=900)


def timings() -> Timings:
    return FULL if os.environ.get("WIRESTREAM_CHAOS_FULL") == "1" else QUICK


@dataclass
class Run:
    """What a fault may need while it runs, and what it leaves for the checks."""

    stack: Stack
    timings: Timings
    heal: Callable[[], None] = lambda: None  # called when a bad subscriber recovers
    poison: dict[str, list[str]] = field(default_factory=dict)  # stream -> entry ids


Inject = Callable[[Run], Awaitable[None]]


@dataclass(frozen=True)
class Scenario:
    name: str
    inject: Inject
    postgres: bool = False
    receivers: tuple[Behaviour, ...] = ("ok",)


def kill(service: str) -> Inject:
    async def inject(run: Run) -> None:
        await run.stack.kill(service)
        await asyncio.sleep(run.timings.outage_s)
        await run.stack.start(service)

    return inject


async def redis_down(run: Run) -> None:
    await run.stack.stop_redis()
    await asyncio.sleep(run.timings.outage_s)
    await run.stack.start_redis()


async def redis_empty(run: Run) -> None:
    await run.stack.stop_redis()
    await asyncio.sleep(1)
    await run.stack.start_redis(empty=True)


async def redis_empty_with_backlog(run: Run) -> None:
    """Enrich is down while items arrive, so they wait in the stream; then Redis loses it."""
    await run.stack.kill("enrich")
    await asyncio.sleep(run.timings.outage_s)
    await redis_empty(run)
    await run.stack.start("enrich")


def database_down(*services: str) -> Inject:
    """Cut the services' PostgreSQL connections (through their proxies) for the outage."""

    async def inject(run: Run) -> None:
        proxies = [run.stack.proxies[s] for s in services]
        for proxy in proxies:
            proxy.cut()
        await asyncio.sleep(run.timings.outage_s)
        for proxy in proxies:
            proxy.restore()

    return inject


async def bad_subscribers(run: Run) -> None:
    await asyncio.sleep(run.timings.outage_s)
    run.heal()  # the one answering 500 starts answering 200


def _poison_entries() -> list[dict[str, bytes | str]]:
    return [
        {"__data__": b"\x89BIN garbage", "event_type": "x"},  # not an envelope
        {"__data__": encode_payload("{not json", "article.ingested", "c1")},
        {"__data__": encode_payload('{"event_type": "no.such.event"}', "no.such", "c2")},
        {"hello": "world"},  # not one of ours at all
    ]


async def poison(run: Run) -> None:
    client: Any = aioredis.Redis.from_url(run.stack.redis.url)
    for stream in POISON_STREAMS:
        run.poison[stream] = [(await client.xadd(stream, fields)).decode()
                              for fields in _poison_entries()]
    await client.aclose()


SCENARIOS = [
    *(Scenario(f"sigkill-{s}", kill(s)) for s in ("ingest", "enrich", "publish", "comments")),
    Scenario("redis-down", redis_down),
    Scenario("redis-restarted-empty", redis_empty),
    Scenario("redis-restarted-empty-with-backlog", redis_empty_with_backlog),
    Scenario("database-down", database_down(*SERVICES), postgres=True),
    # Only publish's: events keep arriving while its handlers cannot commit.
    Scenario("publish-database-down", database_down("publish"), postgres=True),
    Scenario("bad-subscribers", bad_subscribers, receivers=("ok", "hang", "fail500", "gone410")),
    Scenario("poison-entries", poison),
]
