"""Benchmark: signed webhooks accepted per second by ingest vs a bare XADD endpoint.

Both servers run the same way, each in its own process: uvicorn (uvloop,
httptools when installed, no access log) with a private redis-server.

* bare:   a tiny Starlette app that reads the body and does one XADD per request
* ingest: the real ingest app (SQLite in a temporary directory), each request
          verified, parsed, sanitised, stored with its receipt and outbox row in
          one transaction, then relayed to the stream by the outbox relay

The bench process drives both with the same pre-signed ninjs items of ~4 KB
(a distinct uri and webhook-id each) from ``--clients`` concurrent httpx
clients, and prints requests/s for each and the ratio (target >= 0.5). For
ingest it also prints how fast the events reached the stream.
Run: ``./wirestream bench ingest``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from _procs import cpu_seconds, start
from redis.asyncio import Redis

from wirestream.common.redis_server import LocalRedis, free_port
from wirestream.common.serve import has_uvloop
from wirestream.common.streams import ARTICLES_INGESTED
from wirestream.common.webhooks import sign_headers

BARE_STREAM = "bench:bare"
ADMIN = "bench-admin"
PARAGRAPH = ("The central bank held its main rate at 4.5 per cent on Thursday, citing "
             "persistent services inflation, and signalled that cuts could follow in the "
             "summer if wage growth slows as expected. ")


def bare_app(redis_url: str):  # type: ignore[no-untyped-def]
    """One XADD per request: the least any webhook endpoint on this stack can do."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    redis = Redis.from_url(redis_url)

    async def receive(request: Request) -> JSONResponse:
        body = await request.body()
        await redis.xadd(BARE_STREAM, {"body": body})
        return JSONResponse({"accepted": True}, status_code=202)

    return Starlette(routes=[Route("/v1/wire/{agency}", receive, methods=["POST"])])


def serve_bare(port: int, redis_url: str) -> None:
    import uvicorn

    uvicorn.run(bare_app(redis_url), host="127.0.0.1", port=port, log_level="warning",
                access_log=False, loop="uvloop" if has_uvloop() else "asyncio")




def items(n: int, agency: str, secret: str) -> list[tuple[bytes, dict[str, str]]]:
    """``n`` signed ninjs documents of ~4 KB, each with its own uri and webhook-id."""
    out = []
    for _ in range(n):
        uid = uuid.uuid4().hex
        doc = {"uri": f"urn:bench:{uid}", "version": 1, "language": "en", "urgency": 3,
               "headlines": [{"role": "main", "value": f"Central bank holds rates {uid[:8]}"}],
               "bodies": [{"role": "main", "contentType": "text/html",
                           "value": "".join(f"<p>{PARAGRAPH * 2}</p>" for _ in range(8))}],
               "subjects": [{"name": "economy", "uri": "medtop:04000000"}], "by": "Bench"}
        body = json.dumps(doc).encode()
        headers = {"content-type": "application/json",
                   **sign_headers(secret, body.decode(), msg_id=f"msg_{uid}")}
        out.append((body, headers))
    return out


async def drive(url: str, agency: str, requests: list[tuple[bytes, dict[str, str]]],
                clients: int) -> float:
    """Send everything from ``clients`` concurrent clients; returns accepted requests/s."""
    queue = iter(requests)
    accepted = 0

    async def client() -> None:
        nonlocal accepted
        async with httpx.AsyncClient(base_url=url, timeout=60) as c:
            for body, headers in queue:
                r = await c.post(f"/v1/wire/{agency}", content=body, headers=headers)
                if r.status_code != 202:
                    raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
                accepted += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return accepted / (time.perf_counter() - started)


async def stream_reaches(redis: Redis, length: int) -> float:
    """When the ingested stream holds ``length`` entries (a perf_counter time)."""
    while await redis.xlen(ARTICLES_INGESTED) < length:  # noqa: ASYNC110 - polling Redis
        await asyncio.sleep(0.005)
    return time.perf_counter()


async def bench(args: argparse.Namespace, tmp: Path, redis_url: str) -> None:
    bare_port, ingest_port = free_port(), free_port()
    bare = start([sys.executable, __file__, "--serve-bare", str(bare_port), redis_url], {},
                 f"http://127.0.0.1:{bare_port}/health", tmp / "bare.log")
    profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    ingest = start([sys.executable, *profile, "-m", "wirestream.ingest"], {
        "WIRESTREAM_PORT": str(ingest_port), "WIRESTREAM_REDIS_URL": redis_url,
        "WIRESTREAM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'ingest.db'}",
        "WIRESTREAM_ADMIN_TOKEN": ADMIN, "WIRESTREAM_LOG_LEVEL": "WARNING",
    }, f"http://127.0.0.1:{ingest_port}/health", tmp / "ingest.log")
    redis = Redis.from_url(redis_url)
    try:
        ingest_url, bare_url = f"http://127.0.0.1:{ingest_port}", f"http://127.0.0.1:{bare_port}"
        async with httpx.AsyncClient() as client:
            r = await client.post(f"{ingest_url}/v1/admin/agencies", json={"name": "bench"},
                                  headers={"Authorization": f"Bearer {ADMIN}"})
        secret = r.json()["secret"]
        size = len(items(1, "bench", secret)[0][0])
        for url in (bare_url, ingest_url):  # warm up: connections, caches, SQLite pages
            await drive(url, "bench", items(300, "bench", secret), args.clients)
        bares, ingests, relays, bare_cpu, ingest_cpu = [], [], [], [], []
        sent = 300
        for _ in range(args.rounds):
            signed = items(args.n, "bench", secret)
            cpu = cpu_seconds(bare.pid)
            bares.append(await drive(bare_url, "bench", signed, args.clients))
            bare_cpu.append((cpu_seconds(bare.pid) - cpu) / args.n)
            await stream_reaches(redis, sent)  # the previous round's events are all out
            signed = items(args.n, "bench", secret)
            cpu, started = cpu_seconds(ingest.pid), time.perf_counter()
            ingests.append(await drive(ingest_url, "bench", signed, args.clients))
            sent += args.n
            relays.append(args.n / (await stream_reaches(redis, sent) - started))
            ingest_cpu.append((cpu_seconds(ingest.pid) - cpu) / args.n)
        best_bare, best_ingest = max(bares), max(ingests)
        print(f"ingest webhooks, {args.n} signed ninjs items of {size / 1024:.1f} KB, "
              f"{args.clients} clients, best of {args.rounds}")
        print(f"  bare Starlette, one XADD per request : {best_bare:>8,.0f} req/s")
        print(f"  ingest (verify, parse, SQLite, 202)  : {best_ingest:>8,.0f} req/s")
        print(f"  ingest, all events on the stream     : {max(relays):>8,.0f} items/s")
        rounds = zip(bares, ingests, relays, strict=True)
        print("  rounds (bare / ingest / stream):",
              ", ".join(f"{b:.0f}/{i:.0f}/{r:.0f}" for b, i, r in rounds))
        # CPU per request hardly depends on what else the machine is doing; req/s does.
        cpu_b, cpu_i = min(bare_cpu) * 1000, min(ingest_cpu) * 1000
        print(f"  server CPU per request, bare / ingest: {cpu_b:.2f} / {cpu_i:.2f} ms "
              f"(ratio {cpu_b / cpu_i:.2f})")
        print(f"  ratio ingest/bare                    : {best_ingest / best_bare:>8.2f}"
              "  (target >= 0.50)")
    finally:
        await redis.aclose()
        for proc in (bare, ingest):
            # SIGINT, not SIGTERM: uvicorn re-raises the signal after its graceful
            # shutdown, and only SIGINT's default (KeyboardInterrupt) lets cProfile write.
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", default=None, metavar="FILE",
                        help="run ingest under cProfile and write its stats to FILE")
    args = parser.parse_args()
    server = LocalRedis(appendonly=False).start()
    try:
        with tempfile.TemporaryDirectory(prefix="ws-bench-ingest-") as tmp:
            await bench(args, Path(tmp), server.url)
    finally:
        server.stop()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-bare":
        serve_bare(int(sys.argv[2]), sys.argv[3])
        sys.exit(0)
    try:
        import uvloop
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
