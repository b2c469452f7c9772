"""A real HTTP/1.1 server on a free 127.0.0.1 port that records what subscribers receive.

Each path answers from a script of replies (then 200), or hangs until the
test ends: enough to play a healthy, failing, rate-limited, gone or dead
subscriber, or a push service.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from wirestream.common.testing import eventually

REASONS = {200: "OK", 201: "Created", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when it arrived

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Receiver:
    host: str = "127.0.0.1"
    port: int = 0
    tls: ssl.SSLContext | None = None
    received: dict[str, list[Request]] = field(default_factory=lambda: defaultdict(list))
    replies: dict[str, deque[tuple[int, dict[str, str]]]] = field(
        default_factory=lambda: defaultdict(deque))
    hanging: set[str] = field(default_factory=set)
    _server: asyncio.Server | None = None
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    def url(self, path: str) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}{path}"

    def reply(self, path: str, *answers: int | tuple[int, dict[str, str]]) -> None:
        """Answer the next requests to ``path`` with these statuses (then 200)."""
        for a in answers:
            self.replies[path].append(a if isinstance(a, tuple) else (a, {}))

    async def start(self) -> Receiver:
        self._server = await asyncio.start_server(self._serve, self.host, 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._release.set()
        for w in list(self._writers):
            w.close()
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    async def wait(self, path: str, count: int = 1,
                   within: float = 15) -> list[Request]:
        async def enough() -> list[Request] | None:
            got = self.received.get(path, [])
            return list(got) if len(got) >= count else None

        return await eventually(enough, timeout=within)  # type: ignore[no-any-return]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while request := await self._read(reader):
                self.received[request.path].append(request)
                if request.path in self.hanging:
                    await self._release.wait()
                    return
                queued = self.replies.get(request.path)
                status, headers = queued.popleft() if queued else (200, {})
                head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                writer.write(f"HTTP/1.1 {status} {REASONS.get(status, 'X')}\r\n{head}"
                             "Content-Length: 0\r\n\r\n".encode())
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _read(self, reader: asyncio.StreamReader) -> Request | None:
        line = await reader.readline()
        if not line:
            return None
        _method, path, _version = line.decode().split(" ", 2)
        headers: dict[str, Any] = {}
        while (raw := await reader.readline()) not in (b"\r\n", b""):
            key, _, value = raw.decode().partition(":")
            headers[key.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", 0)))
        return Request(path, headers, body, time.monotonic())
