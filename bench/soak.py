"""Soak: the whole platform under steady load with periodic bursts, sampled over time.

Runs the four services as processes (as ``wirestream dev`` does, private Redis, SQLite
or ``--postgres``) under signed wire items (new, updates, kills) and comments, with a
burst of ``--burst`` items every ``--burst-every`` minutes. Every ``--sample-s`` it
records each service's RSS and open sockets, every stream's length, every consumer
group's lag + pending, and Redis's clients and memory. Assert-free: it prints a summary
(memory slope, maximum stream length, time for the backlog to drain after each burst,
what reconciles at the end) and writes docs/soak.md and docs/soak.png.

Run: ``./wirestream bench soak`` (30 minutes; ``--minutes N`` or WIRESTREAM_SOAK_MINUTES).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from _soak_items import soak_item  # noqa: E402
from _soak_probe import Sample, take  # noqa: E402
from _soak_report import write_report  # noqa: E402

from tests.chaos.ledger import Ledger  # noqa: E402
from tests.chaos.load import Agency, CommentLoad, WireLoad, send_version  # noqa: E402
from tests.chaos.reconcile import Findings, reconcile  # noqa: E402
from tests.chaos.stack import Stack  # noqa: E402
from tests.chaos.tail import PublishedTail  # noqa: E402

DRAINED = 5  # total lag + pending at or under this counts as drained
STORY_MAX_ITEMS = "1000"


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float,
                   default=float(os.environ.get("WIRESTREAM_SOAK_MINUTES", "30")))
    p.add_argument("--sample-s", type=float, default=5.0)
    p.add_argument("--rate", type=float, default=2.0, help="wire documents per second")
    p.add_argument("--comment-rate", type=float, default=0.5)
    p.add_argument("--burst", type=int, default=300, help="items in each burst")
    p.add_argument("--burst-every", type=float, default=5.0, help="minutes between bursts")
    p.add_argument("--postgres", action="store_true")
    p.add_argument("--out", type=Path, default=ROOT / "docs")
    return p.parse_args()


async def _burst(wire: WireLoad, size: int) -> None:
    for _ in range(size):
        wire._spawn(send_version(wire.agency, wire.new_item(), 1, wire.ledger))


async def soak(a: argparse.Namespace) -> None:
    # Enrich's story window holds ~5 KB per article until the count cap: 1,000 here (the
    # default 15,000 takes hours to reach at this rate), so the run shows the plateau.
    env = {"WIRESTREAM_STREAM_RETENTION_S": "120", "WIRESTREAM_TRIM_INTERVAL_S": "10",
           "WIRESTREAM_STORY_MAX_ITEMS": STORY_MAX_ITEMS}
    stack = Stack(Path(tempfile.mkdtemp(prefix="ws-soak-")), postgres=a.postgres, env=env)
    await stack.up()
    samples: list[Sample] = []
    bursts: list[tuple[float, int]] = []  # (seconds since start, size)
    try:
        redis = Redis.from_url(stack.redis.url)
        pids = {s: p.pid for s, p in stack.platform.procs.items()}
        async with httpx.AsyncClient(timeout=30,
                                     limits=httpx.Limits(max_connections=50)) as client:
            agency = Agency(client, stack.url("ingest"), "soakwire", make_doc=soak_item)
            await agency.register()
            ledger, tail = Ledger(), PublishedTail(stack.redis.url)
            tail_task = asyncio.create_task(tail.run())
            wire = WireLoad(agency, ledger, rate=a.rate)


            def commentable() -> list[str]:
                ok = {i.article_id for i in ledger.items.values() if not i.will_be_killed}
                return [x for x in tail.live_article_ids()[-200:] if x in ok]

            readers = CommentLoad(client, stack.url("comments"), ledger, commentable,
                                  rate=a.comment_rate)
            seconds = a.minutes * 60
            started = time.monotonic()
            load = asyncio.gather(wire.run(seconds), readers.run(seconds))
            next_burst = a.burst_every * 60
            while time.monotonic() - started < seconds:
                samples.append(await take(redis, pids, started))
                last = samples[-1]
                if last.t >= next_burst and last.t < seconds - 60:
                    bursts.append((last.t, a.burst))
                    await _burst(wire, a.burst)
                    next_burst += a.burst_every * 60
                print(f"{last.t / 60:5.1f} min  rss {sum(last.rss_mb.values()):6.0f} MB  "
                      f"backlog {last.total_backlog:5d}  sent {ledger.wire_sent}", flush=True)
                await asyncio.sleep(a.sample_s)
            await load
            await wire.drain()
            await readers.drain()
            found = await _settle(client, stack, ledger, tail)
            samples.append(await take(redis, pids, started))
            tail_task.cancel()
        await redis.aclose()
        text = write_report(a, samples, bursts, ledger, found, DRAINED)
        print(text)
    finally:
        await stack.down()


async def _settle(client: httpx.AsyncClient, stack: Stack, ledger: Ledger,
                  tail: PublishedTail) -> Findings:
    deadline = time.monotonic() + 300
    while True:
        found = await reconcile(client, site=stack.url("publish"),
                                comments=stack.url("comments"), ledger=ledger, tail=tail,
                                subscribers=[])
        if found.clean or time.monotonic() > deadline:
            return found
        await asyncio.sleep(5)


if __name__ == "__main__":
    asyncio.run(soak(_args()))
