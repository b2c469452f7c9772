"""Benchmark: the comments service's write and read paths, each against a bare baseline.

Everything runs in one process: the comments app called over ASGI,
SQLite in a temporary directory and a private redis-server (LocalRedis). The
external scorer is off; everything else is on.

* writes: N anonymous comments POSTed through the whole pipeline (anti-forgery
  check, two Redis rate-limit windows in one script call, identity, moderation
  with the default new-reader threshold, reader upsert, comment row, outbox row,
  commit -- the comments that arrive together are committed together by the
  writer task, and each 201 waits for its batch's commit; the relay then XADDs
  each CommentPosted). The posting readers each have an approved comment from
  before (so they are established and their approved counts are read), and the
  database holds the site's last day of other comments (``--history``), so a
  query that scans the day instead of its authors' comments shows. One run per
  number of closed-loop clients (``--workers``: each posts again when answered)
  and one per open-loop arrival rate (``--rates``: comments arrive at that rate
  whatever the answers, as readers on a breaking story do; a late start counts
  in the latency). Reported: accepted comments/s (201s), /s until the last
  event is on the stream, the process's CPU time per accepted comment (all
  threads: less sensitive to a busy machine than the rates; 1 ms is 1,000/s on
  one core), the mean batch and the 201 latency. Each run starts with 200
  untimed comments. Baseline: the same N comment rows INSERTed by the same
  number of workers (8 for the open-loop runs), one transaction each, with the
  same engine settings.
* reads: p50/p99 of GET one page (50) of an article with 10,000 approved
  comments (10% with reactions), pages picked at random over the whole thread
  (keyset cursors; only the first page, 1 in 200 here, can come from the
  first-page cache), and the process's CPU time per GET (all threads, like the
  writes' figure). Baseline: a bare Starlette endpoint returning, as static
  bytes, the same first page (50 comments, same shape and size).

Requests are made by calling the ASGI app directly (no HTTP client in the way),
so the figures are the app's own cost.

Run: ``.venv/bin/python bench/comments.py`` (``--help`` for sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from wirestream.comments.main import create_app
from wirestream.comments.models import Comment, KnownArticle, Reaction, Reader
from wirestream.comments.settings import CommentsSettings
from wirestream.common.db import create_engine
from wirestream.common.events import new_id
from wirestream.common.redis_server import LocalRedis
from wirestream.common.streams import COMMENTS

HEADERS = {"X-Requested-With": "wirestream"}
BODY = "A considered comment on the story, with enough words to be realistic: {i} / {j}."


def _settings(redis_url: str, db: Path) -> CommentsSettings:
    return CommentsSettings(
        redis_url=redis_url, database_url=f"sqlite+aiosqlite:///{db}", dev_mode=True,
        log_json=False, log_level="ERROR", outbox_poll_s=0.05,
        rate_comment_reader="1000000/minute", rate_comment_ip="1000000/minute",
    )


async def _open_article(app: Any, article_id: str) -> None:
    runtime = app.state.runtime
    async with runtime.transaction() as tx:
        tx.session.add(KnownArticle(article_id=article_id, url=f"http://site/{article_id}",
                                    open=True, updated_at=datetime.now(UTC), language="en"))


async def _spread(n: int, workers: int, one: Any) -> float:
    """Run ``one(i)`` for i in range(n) on ``workers`` concurrent tasks; seconds taken."""
    queue = iter(range(n))

    async def worker() -> None:
        for i in queue:
            await one(i)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - start


READERS = 500


async def _regulars(app: Any, article_id: str, history: int) -> None:
    """Each of the bench's readers with one approved comment already (the default
    new_reader_threshold holds a first comment): every batch still runs the
    approved-count query, and the bench's comments are approved as the bench checks.
    Plus ``history``: the rest of the site's last day, approved comments by other
    readers on other articles, so that a query that scans the day instead of its
    authors' own comments shows in the figures."""
    now = datetime.now(UTC)
    then = now - timedelta(days=2)
    ids = [app.state.comments.tokens.anonymous_id(f"reader{i}", "127.0.0.1")
           for i in range(READERS)]
    others = [f"anon:site{k}" for k in range(max(1, history // 10))]
    async with app.state.runtime.transaction() as tx:
        await tx.session.execute(Reader.__table__.insert(), [
            {"reader_id": rid, "display_name": rid, "kind": "anonymous",
             "status": "active", "created_at": then} for rid in ids + others])
        await tx.session.execute(Comment.__table__.insert(), [
            {"comment_id": new_id(), "article_id": article_id, "parent_id": None,
             "author_id": rid, "author": f"reader{i}", "body": f"First words {i}.",
             "status": "approved", "created_at": then, "reactions_total": 0}
            for i, rid in enumerate(ids)] + [
            {"comment_id": new_id(), "article_id": f"other{k % 200}", "parent_id": None,
             "author_id": others[k % len(others)], "author": "someone",
             "body": BODY.format(i=k, j="history"), "status": "approved",
             "created_at": now - timedelta(seconds=86_000 * k / max(history, 1)),
             "reactions_total": 0} for k in range(history)])


async def writes(redis_url: str, tmp: Path, n: int, history: int, *, workers: int = 8,
                 rate: float | None = None) -> dict[str, float]:
    """``n`` comments by ``workers`` closed-loop clients (each posts when its last is
    answered) or, with ``rate``, arriving open-loop at ``rate`` per second whatever
    the answers; then the bare-INSERT baseline with ``workers`` clients."""
    db = tmp / f"writes-{workers}-{rate}.db"
    app = create_app(_settings(redis_url, db))
    client = Asgi(app, HEADERS)
    async with app.router.lifespan_context(app):
        await _open_article(app, "bench-w")
        await _regulars(app, "bench-w", history)
        redis = app.state.runtime.bus.redis
        writer = app.state.comments.writer
        warm = min(200, n)  # untimed: statement caches, first connections, schemas

        async def warm_up(i: int) -> None:
            await client.request("POST", "/v1/articles/bench-w/comments", json_body={
                "author": f"reader{i % READERS}", "body": f"Warming up, {i}."})

        await _spread(warm, workers, warm_up)
        while await redis.xlen(COMMENTS) < warm:  # noqa: ASYNC110 - polling Redis itself
            await asyncio.sleep(0.005)
        await redis.delete(COMMENTS)
        batches, committed = writer.batches, writer.committed
        latencies: list[float] = []
        start, cpu = time.perf_counter(), time.process_time()

        async def post(i: int, due: float | None = None) -> None:
            begun = time.perf_counter() if due is None else due
            status, body = await client.request("POST", "/v1/articles/bench-w/comments",
                                                json_body={"author": f"reader{i % READERS}",
                                                           "body": BODY.format(i=i, j=i * 7)})
            latencies.append(time.perf_counter() - begun)
            assert status == 201 and json.loads(body)["status"] == "approved", body

        if rate is None:
            accepted = await _spread(n, workers, post)
        else:
            accepted = await _arrivals(n, rate, post)
        cpu_ms = (time.process_time() - cpu) * 1000 / n
        batch = (writer.committed - committed) / (writer.batches - batches)
        while await redis.xlen(COMMENTS) < n:  # noqa: ASYNC110 - polling Redis itself
            await asyncio.sleep(0.005)
        relayed = time.perf_counter() - start

    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    now = datetime.now(UTC)

    async def insert(i: int) -> None:
        async with engine.begin() as conn:
            await conn.execute(Comment.__table__.insert().values(
                comment_id=new_id(), article_id="bench-b", parent_id=None,
                author_id=f"anon:{i % 500}", author=f"reader{i % 500}",
                body=BODY.format(i=i, j="baseline"), status="approved", created_at=now))

    bare = await _spread(n, workers, insert)
    await engine.dispose()
    p50, _, p99 = _percentiles(latencies)
    return {"accepted": n / accepted, "relayed": n / relayed, "bare": n / bare,
            "cpu_ms": cpu_ms, "batch": batch, "p50": p50, "p99": p99}


async def _arrivals(n: int, rate: float, one: Any) -> float:
    """Start ``one(i, due)`` at ``i / rate`` s (open loop: an arrival does not wait for
    earlier answers; a late start counts in its latency); seconds until all are done."""
    start = time.perf_counter()
    tasks = []
    for i in range(n):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - start


async def _seed(app: Any, article_id: str, n: int) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"comment_id": new_id(), "article_id": article_id, "parent_id": None,
             "author_id": f"anon:{i % 700}", "author": f"reader{i % 700}",
             "body": BODY.format(i=i, j="seed"), "status": "approved",
             "created_at": base + timedelta(seconds=i), "reactions_total": 0}
            for i in range(n)]
    reactions = []
    for row in rows[::10]:
        row["reactions_total"] = 3
        reactions += [{"comment_id": row["comment_id"], "reader_id": f"r{k}", "kind": kind,
                       "created_at": base} for k, kind in enumerate(("like", "like", "love"))]
    async with app.state.runtime.transaction() as tx:
        await tx.session.execute(Comment.__table__.insert(), rows)
        await tx.session.execute(Reaction.__table__.insert(), reactions)


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    qs = statistics.quantiles(samples, n=100)
    return qs[49] * 1000, qs[89] * 1000, qs[98] * 1000


async def reads(redis_url: str, tmp: Path, n: int, samples: int) -> tuple[float, ...]:
    app = create_app(_settings(redis_url, tmp / "reads.db"))
    client = Asgi(app)
    async with app.router.lifespan_context(app):
        await _open_article(app, "bench-r")
        await _seed(app, "bench-r", n)
        url = "/v1/articles/bench-r/comments"
        cursors: list[str | None] = [None]
        while True:  # every page's cursor, walking the thread once
            last = cursors[-1]
            _, body = await client.request("GET", url, query=f"cursor={last}" if last else "")
            nxt = json.loads(body)["next_cursor"]
            if nxt is None:
                break
            cursors.append(nxt)
        _, first_page = await client.request("GET", url)
        app_times, cpu_ms = await _time_gets(client, url, cursors, samples)

    bare = Starlette(routes=[Route("/page", lambda _r: _Raw(first_page))])
    bare_times, _ = await _time_gets(Asgi(bare), "/page", [None], samples)
    return (len(cursors), *_percentiles(app_times), cpu_ms, *_percentiles(bare_times))


class Asgi:
    """Call an ASGI app in-process with nothing in between (no HTTP client's own costs)."""

    def __init__(self, app: Any, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]

    async def request(self, method: str, path: str, *, query: str = "",
                      json_body: Any = None) -> tuple[int, bytes]:
        body = json.dumps(json_body).encode() if json_body is not None else b""
        headers = self.headers + ([(b"content-type", b"application/json"),
                                   (b"content-length", str(len(body)).encode())] if body else [])
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": query.encode(), "root_path": "", "headers": headers,
                 "client": ("127.0.0.1", 50000), "server": ("bench", 80)}
        sent = False
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()  # no disconnect while the app is working
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


class _Raw(JSONResponse):
    def render(self, content: Any) -> bytes:
        return content  # type: ignore[no-any-return]


async def _time_gets(client: Asgi, url: str, cursors: list[str | None],
                     samples: int) -> tuple[list[float], float]:
    """Each GET's wall time (s), and the process's CPU time per GET (ms)."""
    rng = random.Random(7)
    for _ in range(min(200, samples)):  # warm up
        await client.request("GET", url)
    out = []
    cpu = time.process_time()
    for _ in range(samples):
        cursor = rng.choice(cursors)
        start = time.perf_counter()
        status, _ = await client.request("GET", url, query=f"cursor={cursor}" if cursor else "")
        out.append(time.perf_counter() - start)
        assert status == 200
    return out, (time.process_time() - cpu) * 1000 / samples


def _numbers(text: str) -> list[int]:
    return [int(w) for w in text.split(",") if w]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000, help="comments to post per run")
    parser.add_argument("--workers", type=_numbers, default=[8, 32, 64],
                        help="closed-loop clients, one write run each (comma-separated)")
    parser.add_argument("--rates", type=_numbers, default=[1000],
                        help="open-loop arrivals per second, one write run each")
    parser.add_argument("--history", type=int, default=20_000,
                        help="other readers' approved comments in the last day (writes)")
    parser.add_argument("--thread", type=int, default=10_000, help="comments on the article")
    parser.add_argument("--samples", type=int, default=2000, help="page reads timed")
    parser.add_argument("--only", choices=("writes", "reads"), help="run one half only")
    parser.add_argument("--pin-cpu", type=int, metavar="CPU",
                        help="run this process (app, its threads and the bench's clients) on"
                             " that one CPU; redis-server is started before and keeps all")
    args = parser.parse_args()
    server = LocalRedis(appendonly=False).start()
    if args.pin_cpu is not None:
        os.sched_setaffinity(0, {args.pin_cpu})
    runs: list[tuple[str, dict[str, float]]] = []
    read: tuple[float, ...] = ()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            load = os.getloadavg()
            if args.only != "reads":
                for workers in args.workers:
                    runs.append((f"{workers} closed-loop clients", await writes(
                        server.url, Path(tmp), args.n, args.history, workers=workers)))
                    await Redis.from_url(server.url).flushall()
                for rate in args.rates:
                    runs.append((f"open loop, {rate:,} arriving per second", await writes(
                        server.url, Path(tmp), args.n, args.history, rate=rate)))
                    await Redis.from_url(server.url).flushall()
            if args.only != "writes":
                read = await reads(server.url, Path(tmp), args.thread, args.samples)
    finally:
        server.stop()
    print("comments, SQLite + private Redis, in-process ASGI, scorer off")
    print(f"machine: {os.cpu_count()} CPUs, load average at start {load[0]:.2f} / {load[1]:.2f}"
          f" / {load[2]:.2f} (1/5/15 min)")
    if args.pin_cpu is not None:
        print(f"this process pinned to CPU {args.pin_cpu} (redis-server not)")
    for label, r in runs:
        print(f"writes: {args.n} comments, {label},"
              f" {args.history:,} comments already in the last day")
        print(f"  full pipeline, accepted (201)        : {r['accepted']:>9,.0f} comments/s")
        print(f"  full pipeline, until all relayed     : {r['relayed']:>9,.0f} comments/s")
        print(f"  CPU per accepted comment (process)   : {r['cpu_ms']:>9.2f} ms")
        print(f"  comments per committed batch (mean)  : {r['batch']:>9.1f}")
        print(f"  201 latency p50 / p99                : {r['p50']:>6.1f} / {r['p99']:.1f} ms")
        print(f"  baseline: bare INSERT of the rows    : {r['bare']:>9,.0f} rows/s")
        print(f"  ratio pipeline/baseline              : {r['accepted'] / r['bare']:>9.2f}")
    if read:
        pages, p50, p90, p99, read_cpu, b50, b90, b99 = read
        print(f"reads: one page of 50, {args.thread} comments ({pages:.0f} pages),"
              f" {args.samples} GETs")
        print(f"  comments API  p50 / p90 / p99        : {p50:>6.2f} / {p90:.2f} / {p99:.2f} ms")
        print(f"  CPU per GET (process)                : {read_cpu:>9.2f} ms")
        print(f"  baseline: static JSON p50 / p90 / p99: {b50:>6.2f} / {b90:.2f} / {b99:.2f} ms")
        print(f"  ratio p99 API/baseline               : {p99 / b99:>9.2f}")


if __name__ == "__main__":
    try:
        import uvloop
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
