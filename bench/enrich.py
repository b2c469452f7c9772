"""Benchmark: enriched articles per second on one core, and the memory of an enrich process.

1. Throughput, translation off, through the real handler path:
   ``enrich_events`` on a migrated SQLite database, batches of ``--batch``
   ArticleIngested events as the bus delivers them, each batch one
   transaction (inbox, text, stories, rows, outbox). The process is pinned to
   one CPU. Baseline, same run, same articles and batches: ``html_to_text``
   plus one row insert per article. The cost of each step is timed inside
   the real calls (language, matching, keywords, stories); "database & rest"
   is what remains of the handler's time.
2. Memory: ``python -m wirestream.enrich`` as a subprocess with a private
   redis-server, fed ``--memory-n`` articles through the stream; its peak RSS
   (``VmHWM`` of ``/proc/<pid>/status``) once they are all enriched.

Targets: >= 50 articles/s on one core; process < 350 MB.
Run: ``./wirestream bench enrich``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from _enrich_articles import make_articles
from redis.asyncio import Redis

from wirestream.common.db import create_engine, session_factory
from wirestream.common.envelope import entry_fields
from wirestream.common.events import ArticleIngested
from wirestream.common.migrations import upgrade
from wirestream.common.outbox import Transaction
from wirestream.common.redis_server import LocalRedis, free_port
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_INGESTED
from wirestream.enrich.live import LiveEnricher
from wirestream.enrich.main import MIGRATIONS
from wirestream.enrich.models import inbox, outbox
from wirestream.enrich.service import enrich_events
from wirestream.enrich.settings import EnrichSettings
from wirestream.enrich.stories_store import StoryBook
from wirestream.enrich.text import pipeline

clock = time.process_time
STEPS = ("html", "language", "matching", "keywords", "stories")


class Timers(dict[str, float]):
    def sync(self, step: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self[step] = self.get(step, 0.0) + clock() - t
        return timed

    def coro(self, step: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            t = clock()
            try:
                return await fn(*args, **kwargs)
            finally:
                self[step] = self.get(step, 0.0) + clock() - t
        return timed


async def throughput(n: int, batch: int, directory: Path) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{directory / 'enrich.db'}"
    await asyncio.to_thread(upgrade, url, MIGRATIONS)
    engine = create_engine(url)
    sessions = session_factory(engine)
    live = LiveEnricher(sessions, languages=EnrichSettings().languages)
    await live.load()
    book = StoryBook(window=timedelta(hours=48))
    enricher = live.enricher
    baseline_table = sa.Table("baseline", sa.MetaData(),
                              sa.Column("id", sa.String, primary_key=True),
                              sa.Column("text", sa.Text))
    async with engine.begin() as conn:
        await conn.run_sync(baseline_table.metadata.create_all)

    async def handle(events: list[Any]) -> None:
        async with sessions() as session, session.begin():
            # Deferred and flushed, as the service's unit of work (OutboxRelay.transaction) is.
            tx = Transaction(session=session, outbox=outbox, inbox=inbox, deferred=True)
            await enrich_events(tx, events, enricher=enricher, stories=book,
                                now=datetime.now(UTC))
            await tx.flush()

    async def baseline(articles: list[Any]) -> None:
        async with sessions() as session, session.begin():
            for a in articles:
                await session.execute(baseline_table.insert().values(
                    id=a.article_id, text=pipeline.html_to_text(a.body_html)))

    warm = make_articles(40, prefix="warm", seed=3)  # lingua loads its models on first use
    await handle([ArticleIngested(article=a) for a in warm])
    articles = make_articles(n)
    events = [ArticleIngested(article=a) for a in articles]
    batches = [events[i:i + batch] for i in range(0, n, batch)]

    t = clock()
    for b in batches:
        await baseline([e.article for e in b])
    base_s = clock() - t

    timers = Timers()
    pipeline.html_to_text = timers.sync("html", pipeline.html_to_text)  # type: ignore[assignment]
    pipeline.extract_keywords = timers.sync("keywords", pipeline.extract_keywords)  # type: ignore[assignment]
    enricher.detector.detect = timers.sync("language", enricher.detector.detect)  # type: ignore[method-assign]
    enricher.matcher.find = timers.sync("matching", enricher.matcher.find)  # type: ignore[method-assign]
    enricher.matcher.to_tags = timers.sync("matching", enricher.matcher.to_tags)  # type: ignore[method-assign]
    for name in ("begin", "place", "announce", "remove", "finish"):
        setattr(book, name, timers.coro("stories", getattr(book, name)))
    wall, t = time.perf_counter(), clock()
    for b in batches:
        await handle(b)
    total_s, wall_s = clock() - t, time.perf_counter() - wall
    async with sessions() as session:
        emitted = await session.scalar(sa.select(sa.func.count()).select_from(outbox))
        stories = await session.scalar(sa.text(
            "SELECT count(DISTINCT story_id) FROM story_members WHERE article_id LIKE 'bench%'"))
    await engine.dispose()
    return {"n": n, "batch": batch, "total_s": total_s, "wall_s": wall_s, "base_s": base_s,
            "steps": {k: timers.get(k, 0.0) for k in STEPS}, "emitted": emitted,
            "stories": stories}


async def memory(n: int, directory: Path) -> dict[str, Any]:
    server = LocalRedis(directory=directory / "redis", appendonly=False).start()
    port = free_port()
    env = {**os.environ, "WIRESTREAM_REDIS_URL": server.url, "WIRESTREAM_PORT": str(port),
           "WIRESTREAM_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'proc.db'}",
           "WIRESTREAM_LOG_LEVEL": "WARNING", "WIRESTREAM_TRANSLATION_BACKEND": "none",
           "WIRESTREAM_OUTBOX_POLL_S": "0.1"}
    log = (directory / "enrich.log").open("wb")
    proc = await asyncio.to_thread(subprocess.Popen, [sys.executable, "-m", "wirestream.enrich"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=log)
    redis = Redis.from_url(server.url)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/ready")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError(f"enrich exited; see {directory / 'enrich.log'}")
                await asyncio.sleep(0.1)
        idle = _status(proc.pid)
        articles = make_articles(n, prefix="mem", seed=11)
        start = time.perf_counter()
        for i in range(0, n, 100):
            pipe = redis.pipeline(transaction=False)
            for a in articles[i:i + 100]:
                pipe.xadd(ARTICLES_INGESTED, entry_fields(ArticleIngested(article=a)))
            await pipe.execute()
        done = 0
        while done < n:
            await asyncio.sleep(0.2)
            entries: Any = await redis.xrange(ARTICLES_ENRICHED)
            done = len([1 for _, f in entries if f[b"event_type"] == b"article.enriched"])
            if time.perf_counter() - start > 600 or proc.poll() is not None:
                raise RuntimeError(f"only {done}/{n} enriched; see {directory / 'enrich.log'}")
        elapsed = time.perf_counter() - start
        return {"n": n, "elapsed_s": elapsed, "idle": idle, "after": _status(proc.pid)}
    finally:
        await redis.aclose()
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        server.stop()


def _status(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def report(t: dict[str, Any], m: dict[str, Any] | None) -> None:
    n, per = t["n"], 1000 / t["n"]
    rate, base = n / t["total_s"], n / t["base_s"]
    print(f"enrich, {n} articles of ~600 words (half Arabic, half English), batches of "
          f"{t['batch']}, one core, translation off; CPU time")
    print(f"  baseline (html_to_text + insert) : {base:>8,.0f} articles/s")
    print(f"  enrich_events (real handler)     : {rate:>8,.1f} articles/s  (target >= 50; "
          f"wall {n / t['wall_s']:,.1f}/s)")
    print(f"  stories formed: {t['stories']}; events emitted: {t['emitted']}")
    steps = dict(t["steps"])
    steps["database & rest"] = t["total_s"] - sum(steps.values())
    for step, seconds in steps.items():
        share = 100 * seconds / t["total_s"]
        print(f"    {step:16s} {seconds * per:6.2f} ms/article  {share:5.1f} %")
    if m:
        print(f"  enrich process, {m['n']} articles through the stream: "
              f"{m['n'] / m['elapsed_s']:,.1f} articles/s end to end")
        print(f"    RSS idle {m['idle']['VmRSS']} MB; peak RSS (VmHWM) {m['after']['VmHWM']} MB "
              f"(target < 350 MB)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=600)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--memory-n", type=int, default=600)
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ws-bench-enrich-") as tmp:
        # The subprocess and its redis-server first, before this process is pinned.
        m = await memory(args.memory_n, Path(tmp)) if args.memory_n else None
        if hasattr(os, "sched_setaffinity"):
            cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpu})
        t = await throughput(args.n, args.batch, Path(tmp))
    report(t, m)


if __name__ == "__main__":
    asyncio.run(main())
