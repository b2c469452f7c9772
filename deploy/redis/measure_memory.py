"""Measure how much Redis memory Wirestream's stream entries take.

Starts a throw-away ``redis-server`` on a free loopback port (no persistence),
writes entries shaped like the outbox relay's (``__data__``: the event in
FastStream's envelope, ``event_type``, ``event_id``) plus the relay's per-event
``relayed`` marker key, then has a consumer group read them all without
acknowledging (the worst case for the pending entries list). ``used_memory``
from ``INFO memory`` is read after each step, and the per-entry cost is
extrapolated to a million entries.

    .venv/bin/python deploy/redis/measure_memory.py            # 100,000 entries, 1 KB and 4 KB
    .venv/bin/python deploy/redis/measure_memory.py --entries 20000 --sizes 512 2048

docs/operations.md ("Redis") quotes its output.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import string
import subprocess
import tempfile
import time
import uuid
from typing import Any

import redis

STREAM = "wirestream:articles:ingested"
GROUP = "enrich"
MARKER_PREFIX = "wirestream:relayed:"
MARKER_TTL_S = 7 * 24 * 3600  # the relay's default, equal to stream retention
BATCH = 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(binary: str, workdir: str) -> tuple[subprocess.Popen[bytes], redis.Redis]:
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
            "--maxmemory-policy",
            "noeviction",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            return proc, client
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def used(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def payload(size: int, rng: random.Random) -> str:
    """A ``__data__`` value of ``size`` bytes (the event in FastStream's envelope).

    Redis stores values as they are, so only the size matters, not the content.
    """
    return "".join(rng.choices(string.ascii_letters + " ", k=size))


def measure(client: redis.Redis, entries: int, size: int) -> dict[str, float]:
    rng = random.Random(size)
    client.flushall()
    base = used(client)
    ids: list[str] = []
    for start in range(0, entries, BATCH):
        pipe = client.pipeline(transaction=False)
        for _ in range(min(BATCH, entries - start)):
            pipe.xadd(
                STREAM,
                {
                    "__data__": payload(size, rng),
                    "event_type": "ArticleIngested",
                    "event_id": uuid.uuid4().hex,
                },
            )
        ids.extend(x.decode() for x in pipe.execute())
    after_stream = used(client)

    for start in range(0, entries, BATCH):
        pipe = client.pipeline(transaction=False)
        for mid in ids[start : start + BATCH]:
            pipe.set(MARKER_PREFIX + uuid.uuid4().hex, mid, ex=MARKER_TTL_S)
        pipe.execute()
    after_markers = used(client)

    client.xgroup_create(STREAM, GROUP, id="0")
    read = 0
    while read < entries:
        # RESP2 reply: [[stream, [(id, fields), ...]]] (redis-py types it loosely).
        got: Any = client.xreadgroup(GROUP, "measure-1", {STREAM: ">"}, count=BATCH)
        if not got:
            break
        read += len(got[0][1])
    after_pending = used(client)

    per_entry = (after_stream - base) / entries
    per_marker = (after_markers - after_stream) / entries
    per_pending = (after_pending - after_markers) / entries
    return {
        "size": size,
        "entries": entries,
        "stream_mb": (after_stream - base) / 2**20,
        "per_entry": per_entry,
        "per_marker": per_marker,
        "per_pending": per_pending,
        "per_million_mb": (per_entry + per_marker) * 1_000_000 / 2**20,
        "per_million_pending_mb": (per_entry + per_marker + per_pending) * 1_000_000 / 2**20,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "redis-server")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        proc, client = start_server(args.redis_server, workdir)
        try:
            version = client.info("server")["redis_version"]
            rows = [measure(client, args.entries, size) for size in args.sizes]
        finally:
            client.close()
            proc.terminate()
            proc.wait(timeout=10)

    print(f"redis {version}, {args.entries:,} entries per run")
    print(
        "| payload | stream, measured | per entry | relayed marker | PEL per entry "
        "| per 1M entries (+ markers) | per 1M, all pending |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['size']:,} B | {r['stream_mb']:.1f} MiB | {r['per_entry']:,.0f} B "
            f"| {r['per_marker']:,.0f} B | {r['per_pending']:,.0f} B "
            f"| {r['per_million_mb']:,.0f} MiB | {r['per_million_pending_mb']:,.0f} MiB |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
