"""Benchmark: signed webhook deliveries vs plain POSTs, same client, same concurrency, same run.

A receiver subprocess (a raw asyncio HTTP/1.1 server on uvloop) listens on one
port per subscriber, so each of the 1,000 subscribers is its own origin, as
real subscribers are. The bench process then sends the same fan-out twice:

* plain:  an unsigned POST of the same body through the push Sender's own
          HTTP client (aiohttp, connections bounded per origin, guarded: every
          new connection is vetted against the SSRF policy);
* signed: ``Sender.send(job)``: Standard Webhooks signature with the
          subscriber's own secret, the webhook-id header, a bounded read of
          the answer and its classification — what the delivery worker does
          per attempt, minus the database.

Both run C concurrent senders over the same jobs. Prints deliveries/s for
each, the ratio, and signed deliveries per CPU-second of the sending process
(the receiver runs in its own process). Run: ``./wirestream bench fanout``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence

import aiohttp
from standardwebhooks.webhooks import Webhook

from wirestream.common.webhooks import new_secret
from wirestream.publish.push.fanout import delivery_id
from wirestream.publish.push.sender import Job, Sender
from wirestream.publish.push.ssrf import Guard

_OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


class _Http(asyncio.Protocol):
    """Answers every request 200 at once; understands keep-alive and Content-Length."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while (end := self.buf.find(b"\r\n\r\n")) >= 0:
            head = self.buf[:end].lower()
            at = head.find(b"content-length:")
            size = int(head[at + 15:].split(b"\r\n", 1)[0]) if at >= 0 else 0
            if len(self.buf) < end + 4 + size:
                return
            self.buf = self.buf[end + 4 + size:]
            self.transport.write(_OK)  # type: ignore[attr-defined]


async def _serve(ports: int) -> None:
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(_Http, "127.0.0.1", 0, backlog=1024)
               for _ in range(ports)]
    print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
    await asyncio.Event().wait()


def _body(i: int) -> str:
    return json.dumps({"type": "article.published", "timestamp": "2026-11-29T12:00:00+00:00",
                       "data": {"event_id": f"ev{i:06d}", "article_id": f"art{i:06d}",
                                "version": 1, "headline": "Central bank holds rates " * 3,
                                "url": f"https://news.example/en/articles/art{i:06d}",
                                "language": "en", "urgency": 3, "is_update": False,
                                "story_id": "st1", "section": "business",
                                "tags": ["medtop:04000000", "org:ecb", "place:frankfurt"],
                                "iptc": ["medtop:04000000"]}}, separators=(",", ":"))


def _jobs(ports: Sequence[int], events: int) -> list[Job]:
    secrets = [new_secret() for _ in ports]
    jobs = []
    for e in range(events):
        body = _body(e)
        for i, port in enumerate(ports):
            sid = f"sub_{i:04d}"
            jobs.append(Job(delivery_id=delivery_id(sid, f"ev{e}"), channel="webhook",
                            target_id=sid, url=f"http://127.0.0.1:{port}/hook", body=body,
                            secret=secrets[i], give_up_after=10))
    return jobs


async def _run(jobs: list[Job], concurrency: int,
               send: Callable[[Job], Awaitable[bool]]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process, and failures."""
    it = iter(jobs)
    failures = 0

    async def worker() -> None:
        nonlocal failures
        for job in it:
            if not await send(job):
                failures += 1

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - wall, time.process_time() - cpu, failures


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-origin", type=int, default=4)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        await _serve(args.serve)
        return
    receiver = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", str(args.subscribers), stdout=subprocess.PIPE)
    try:
        assert receiver.stdout is not None
        ports = json.loads(await receiver.stdout.readline())
        jobs = _jobs(ports, args.events)
        sender = Sender(Guard(allow_http=True, allow_private=True), vapid=None,
                        connect_timeout_s=5, timeout_s=10, per_origin=args.per_origin)
        content, headers = sender.request(jobs[0])
        Webhook(jobs[0].secret).verify(content, headers)  # what receivers will check

        async def plain(job: Job) -> bool:
            try:
                status, _ = await sender.clients.post(job.url, job.body.encode(), {})
            except (aiohttp.ClientError, OSError):
                return False
            return status == 200

        async def signed(job: Job) -> bool:
            return (await sender.send(job)).outcome == "ok"

        await _run(jobs[:args.subscribers], args.concurrency, plain)  # open the connections
        results: dict[str, list[tuple[float, float, int]]] = {"plain": [], "signed": []}
        for _ in range(args.rounds):
            for name, send in (("plain", plain), ("signed", signed)):
                results[name].append(await _run(jobs, args.concurrency, send))
        await sender.aclose()
    finally:
        receiver.kill()
        await receiver.wait()
    n = len(jobs)
    best = {k: min(v) for k, v in results.items()}  # by wall time
    rate = {k: n / best[k][0] for k in best}
    per_core = {k: n / best[k][1] for k in best}
    failed = sum(f for runs in results.values() for _, _, f in runs)
    print(f"push fan-out: {args.events} events x {args.subscribers} subscribers = {n:,} "
          f"deliveries, concurrency {args.concurrency}, best of {args.rounds}, "
          f"{os.cpu_count()} CPUs, failures {failed}")
    print(f"  plain unsigned POSTs    : {rate['plain']:>8,.0f} /s  "
          f"({per_core['plain']:>6,.0f} per CPU-second)")
    print(f"  signed deliveries       : {rate['signed']:>8,.0f} /s  "
          f"({per_core['signed']:>6,.0f} per CPU-second, target >= 2,000)")
    print(f"  ratio signed/plain      : {rate['signed'] / rate['plain']:>8.2f}")
    print(f"  load average            : {os.getloadavg()[0]:>8.2f}  (other work on this machine)")


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    try:
        import uvloop  # the services run on uvloop too (uvicorn[standard])
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
