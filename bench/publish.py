"""Benchmark: the publish site.

1. Rendering: events handled/s, and article pages/s and list pages/s rendered
   and stored by the page builder (SQLite in a temporary directory;
   ``--postgres URL``, an empty database, adds a PostgreSQL run). Feeds are
   rendered on request, not here.
2. Serving: requests/s for a stored article page through the publish app vs a
   minimal Starlette app serving the same bytes from memory, both under
   uvicorn in a subprocess (uvloop, no access log), driven in the same run by
   the same keep-alive HTTP/1.1 client; ratio (target >= 0.5).
3. Latency: the whole platform as processes (``wirestream dev``'s Platform,
   a private Redis, a temporary data dir): signed webhook to ingest until the
   item is announced on publish's ``/live`` SSE stream (its page is live then).
   p50/p99 at 50 items/s for 20 s (target p99 <= 300 ms), each stage's share
   (from the stream entry ids: webhook to ingested, to enriched, to published,
   to the ticker), and the time until a burst of 1,000 items is all live
   (target <= 15 s).

Run: ``./wirestream bench publish`` (``--skip-latency`` for parts 1-2 only,
``--latency-only`` for part 3; ``--rate``, ``--steady-s`` and ``--burst`` size it).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import _publish_latency as lat
import _publish_serve as srv
import httpx
from _procs import cpu_seconds, start
from redis.asyncio import Redis

from wirestream.cli.dev import SERVICES, Platform
from wirestream.common.envelope import entry_fields
from wirestream.common.redis_server import LocalRedis, free_port
from wirestream.common.streams import ARTICLES_ENRICHED


async def rendering(args: argparse.Namespace, tmp: Path) -> None:
    urls = [("sqlite", f"sqlite+aiosqlite:///{tmp / 'render.db'}")]
    if args.postgres:
        urls.append(("postgresql", args.postgres))
    for name, url in urls:
        rates = await srv.render_rate(url, args.articles)
        print(f"rendering, {args.articles} articles, {name}")
        for label, rate in rates.items():
            print(f"  {label:<38}: {rate:>9,.0f}")


async def serving(args: argparse.Namespace, tmp: Path, redis: LocalRedis) -> None:
    port, static_port = free_port(), free_port()
    env = {"WIRESTREAM_PORT": str(port), "WIRESTREAM_REDIS_URL": redis.url,
           "WIRESTREAM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'serve.db'}",
           "WIRESTREAM_LOG_LEVEL": "WARNING", "WIRESTREAM_SITE_URL": f"http://127.0.0.1:{port}"}
    publish = start([sys.executable, "-m", "wirestream.publish"], env,
                        f"http://127.0.0.1:{port}/health", tmp / "publish.log")
    static = None
    try:
        event = srv.enriched(0, random.Random(1))
        client = Redis.from_url(redis.url)
        await client.xadd(ARTICLES_ENRICHED, entry_fields(event))  # type: ignore[arg-type]
        await client.aclose()
        path = f"/en/articles/{event.article.article_id}"
        body = b""
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(200):
                r = await http.get(path)
                if r.status_code == 200:
                    body = r.content
                    break
                await asyncio.sleep(0.1)
        page = tmp / "page.html"
        page.write_bytes(body)
        static = start(srv.self_command("--serve-static", str(static_port), str(page)), {},
                           f"http://127.0.0.1:{static_port}{path}", tmp / "static.log")
        results = {}
        for name, p in (("minimal", static_port), ("publish", port)) * 2:  # warm, then measure
            results[name] = await srv.hammer("127.0.0.1", p, path, connections=args.connections,
                                             seconds=args.seconds)
        print(f"serving a stored article page ({len(body):,} bytes), {args.connections} "
              f"keep-alive connections, {args.seconds:.0f} s each")
        print(f"  minimal Starlette, bytes in memory : {results['minimal']:>9,.0f} req/s")
        print(f"  publish (pages table + cache)      : {results['publish']:>9,.0f} req/s")
        print(f"  ratio publish/minimal              : "
              f"{results['publish'] / results['minimal']:>9.2f}  (target >= 0.50)")
    finally:
        for proc in (publish, static):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)


async def latency(args: argparse.Namespace, tmp: Path) -> None:
    redis = LocalRedis(directory=tmp / "platform-redis").start()
    platform = Platform(data_dir=tmp / "data", redis_url=redis.url, quiet=True,
                        ports={s: free_port() for s in SERVICES},
                        extra_env={"WIRESTREAM_LOG_LEVEL": "WARNING"})
    rng = random.Random(11)
    try:
        platform.up()
        secret = lat.agency(platform.url("ingest"), "bench")
        sender = lat.Sender(platform.url("ingest"), "bench", secret)
        live = lat.Live(platform.url("publish"))
        reader = asyncio.create_task(live.run())
        await asyncio.sleep(0.5)
        await lat.steady(sender, live, rate=10, seconds=3, rng=rng)  # warm up every service
        pids = {s: p.pid for s, p in platform.procs.items()}
        if redis.process:
            pids["redis"] = redis.process.pid
        cpu_before = {s: cpu_seconds(pid) for s, pid in pids.items()}
        bench_cpu = time.process_time()
        before = set(sender.sent)
        steady = await lat.steady(sender, live, rate=args.rate, seconds=args.steady_s, rng=rng)
        cpu = {s: cpu_seconds(pid) - cpu_before[s] for s, pid in pids.items()}
        cpu["bench client"] = time.process_time() - bench_cpu
        ms = [s * 1000 for s in steady]
        print(f"webhook to page live, {args.rate:.0f} items/s for {args.steady_s:.0f} s "
              f"({len(ms)} items live of {int(args.rate * args.steady_s)})")
        print(f"  p50 {lat.percentile(ms, 50):7.0f} ms   p99 {lat.percentile(ms, 99):7.0f} ms   "
              f"max {max(ms):7.0f} ms  (target p99 <= 300 ms)")
        n = max(1, len(ms))
        print("  CPU per item: " + ", ".join(f"{s} {c / n * 1000:.1f} ms" for s, c in cpu.items())
              + f"; total {sum(cpu.values()) / n * 1000:.1f} ms "
              f"= {sum(cpu.values()) / n * args.rate:.2f} cores at {args.rate:.0f}/s")
        print("  by stage (ms; from the streams' entry ids):")
        for name, values in (await lat.stages(redis.url, sender, live,
                                              set(sender.sent) - before)).items():
            if values:
                print(f"    {name:<28} p50 {lat.percentile(values, 50):6.0f}   "
                      f"p99 {lat.percentile(values, 99):6.0f}")
        sent_s, done_s, burst, n_live = await lat.burst(sender, live, count=args.burst,
                                                        concurrency=32, rng=rng)
        bms = [s * 1000 for s in burst]
        print(f"burst of {args.burst} items: all accepted in {sent_s:.1f} s, "
              f"{n_live} live after {done_s:.1f} s  (target <= 15 s)")
        print(f"  per item p50 {lat.percentile(bms, 50):7.0f} ms   "
              f"p99 {lat.percentile(bms, 99):7.0f} ms")
        reader.cancel()
        await sender.client.aclose()
    finally:
        platform.down()
        redis.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--postgres", default=None, help="also measure rendering on this URL")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--steady-s", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--latency-only", action="store_true", help="part 3 only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        started = time.perf_counter()
        if not args.latency_only:
            await rendering(args, tmp)
            redis = LocalRedis(directory=tmp / "redis").start()
            try:
                await serving(args, tmp, redis)
            finally:
                redis.stop()
        if not args.skip_latency:
            await latency(args, tmp)
        print(f"(bench took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-static":
        srv.serve_static(int(sys.argv[2]), sys.argv[3])
        sys.exit(0)
    try:
        import uvloop  # the services run on uvloop too (uvicorn[standard])
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
