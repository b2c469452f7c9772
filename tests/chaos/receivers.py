"""Local webhook receivers standing in for subscribers: one that answers, one that hangs,
one that fails with 500 for a while, one that says 410 Gone.

Each runs a tiny HTTP/1.1 server in its own thread (so a blocking call in the test
never stalls it) and records every delivery it sees.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from wirestream.common.redis_server import free_port
from wirestream.common.webhooks import verify

Behaviour = Literal["ok", "hang", "fail500", "gone410"]


@dataclass(frozen=True)
class Delivery:
    at: float
    webhook_id: str
    type: str
    event_id: str
    article_id: str | None
    version: int | None
    signed: bool


@dataclass
class Receiver:
    """A subscriber endpoint; ``fail500`` answers 500 until ``heal_at`` (monotonic), then 200."""

    behaviour: Behaviour
    heal_at: float = float("inf")
    secret: str = ""
    port: int = field(default_factory=free_port)
    requests: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"receiver-{self.behaviour}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{self.behaviour}"

    def start(self) -> Receiver:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        def shutdown() -> None:
            for task in asyncio.all_tasks(self._loop):
                task.cancel()  # the hung connections
            self._loop.call_soon(self._loop.stop)

        self._loop.call_soon_threadsafe(shutdown)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in
                       (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, OSError):
            writer.close()
            return
        self.requests += 1
        status = self._status()
        if status is None:  # hang: hold the connection until the sender gives up
            await asyncio.sleep(3600)
            return
        if status == 200:
            self._record(headers, body)
        writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                     .encode())
        try:
            await writer.drain()
        finally:
            writer.close()

    def _status(self) -> int | None:
        if self.behaviour == "hang":
            return None
        if self.behaviour == "gone410":
            return 410
        if self.behaviour == "fail500" and time.monotonic() < self.heal_at:
            return 500
        return 200

    def _record(self, headers: dict[str, str], body: bytes) -> None:
        text = body.decode()
        doc = json.loads(text)
        data = doc.get("data", {})
        self.deliveries.append(Delivery(
            at=time.monotonic(), webhook_id=headers.get("webhook-id", ""),
            type=doc.get("type", ""), event_id=data.get("event_id", ""),
            article_id=data.get("article_id"), version=data.get("version"),
            signed=bool(self.secret) and verify([self.secret], text, headers)))

    def webhook_ids_by_event(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for d in list(self.deliveries):
            out[d.event_id].add(d.webhook_id)
        return out
