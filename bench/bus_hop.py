"""Benchmark: one bus hop through the shared library vs raw redis-py, same run, same batch.

Both sides publish N events in pipelined batches of B and consume them with a
consumer group in batches of B, acking each batch. Both serialise each event
to JSON when sending it (any producer must); only the library side decodes
and validates what it receives:

* raw:     XADD (pipelined) -> XREADGROUP COUNT B -> XACK
* library: Bus.publish_many (FastStream publish, pipelined) -> Bus.subscribe
           (FastStream batch reader + claimer, validation into typed events,
           dead-letter policy) -> ack after the handler returns

Prints messages/s for each and the ratio. Run: ``./wirestream bench bus_hop``.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from prometheus_client import CollectorRegistry
from pydantic import TypeAdapter
from redis.asyncio import Redis

from wirestream.common.bus import Bus
from wirestream.common.events import CommentPosted
from wirestream.common.metrics import Metrics
from wirestream.common.redis_server import LocalRedis
from wirestream.common.settings import ServiceSettings


def _events(n: int) -> list[CommentPosted]:
    return [CommentPosted(comment_id=f"c{i}", article_id="a1", author="bench",
                          body="x" * 200) for i in range(n)]


async def raw(url: str, events: list[CommentPosted], batch: int) -> float:
    r = Redis.from_url(url)
    stream, group = "bench:raw", "g"
    await r.xgroup_create(stream, group, id="$", mkstream=True)
    done = 0

    async def consume() -> None:
        nonlocal done
        while done < len(events):
            reply = await r.xreadgroup(group, "c1", {stream: ">"}, count=batch, block=100)
            if reply:
                ids = [i for i, _ in reply[0][1]]
                await r.xack(stream, group, *ids)
                done += len(ids)

    start = time.perf_counter()
    consumer = asyncio.create_task(consume())
    for i in range(0, len(events), batch):
        pipe = r.pipeline(transaction=False)
        for e in events[i:i + batch]:
            pipe.xadd(stream, {"data": e.model_dump_json()})  # any producer must serialise
        await pipe.execute()
    await consumer
    elapsed = time.perf_counter() - start
    await r.aclose()
    return len(events) / elapsed


async def library(url: str, events: list[CommentPosted], batch: int) -> float:
    settings = ServiceSettings(service_name="bench", redis_url=url, batch_size=batch,
                               polling_interval_ms=100, log_json=False)
    bus = Bus(settings, metrics=Metrics(CollectorRegistry(), "bench"))
    stream = "bench:lib"
    received = 0
    finished = asyncio.Event()

    async def handler(batch_events: list[CommentPosted]) -> None:
        nonlocal received
        received += len(batch_events)
        if received >= len(events):
            finished.set()

    bus.subscribe(stream=stream, group="g", adapter=TypeAdapter(CommentPosted), handler=handler)
    await bus.start()
    start = time.perf_counter()
    for i in range(0, len(events), batch):
        await bus.publish_many(stream, events[i:i + batch])
    await finished.wait()
    # Acks are sent after each handler returns; wait until the group has none pending.
    while int((await bus.redis.xpending(stream, "g"))["pending"]):
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - start
    await bus.stop()
    return len(events) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = LocalRedis(appendonly=False).start()
    try:
        raws, libs = [], []
        for _ in range(args.rounds):
            await Redis.from_url(server.url).flushall()
            raws.append(await raw(server.url, _events(args.n), args.batch))
            await Redis.from_url(server.url).flushall()
            libs.append(await library(server.url, _events(args.n), args.batch))
        best_raw, best_lib = max(raws), max(libs)
        print(f"bus hop, {args.n} events of ~0.4 KB, batch {args.batch}, best of {args.rounds}")
        print(f"  raw redis-py XADD/XREADGROUP/XACK : {best_raw:>9,.0f} msg/s")
        print(f"  wirestream bus (guarantees on)    : {best_lib:>9,.0f} msg/s")
        print(f"  ratio library/raw                 : {best_lib / best_raw:>9.2f}  (target >= 0.50)")
    finally:
        server.stop()


if __name__ == "__main__":
    try:
        import uvloop  # the services run on uvloop too (uvicorn[standard])
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
