"""HTTP for deliveries: one aiohttp session, its connections vetted by the SSRF guard.

* aiohttp rather than httpx: per POST it costs about a third of the CPU
  (its HTTP parser is C, httpcore's h11 is pure Python; ``bench/fanout.py``
  and docs/push.md), and the fan-out is bound by that CPU.
* One connector, bounded per origin (``limit_per_host``; aiohttp keys its
  pools by scheme, host and port), with no overall bound: the worker bounds
  concurrency itself. Idle connections are closed by the connector after
  ``keepalive_timeout``.
* Every new connection resolves its host through :class:`GuardedResolver`
  (no DNS cache), so it goes to an address vetted for that very connection;
  address literals, which aiohttp never resolves, are vetted on first sight.
* No cookie jar (a subscriber must not set cookies for later deliveries), no
  redirects, no proxies from the environment, no decompression.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import aiohttp
import certifi

from .ssrf import Guard, GuardedResolver

USER_AGENT = "Wirestream-Push/1"
MAX_ANSWER = 64 * 1024  # read at most this much of an answer, then drop the connection


class OriginClients:
    def __init__(self, guard: Guard, *, per_origin: int, connect_timeout_s: float,
                 timeout_s: float, ssl_context: ssl.SSLContext | None = None) -> None:
        self.guard = guard
        self.per_origin = per_origin
        # connect covers waiting for a pooled connection as well as opening one.
        self.timeout = aiohttp.ClientTimeout(total=None, connect=timeout_s + connect_timeout_s,
                                             sock_connect=connect_timeout_s, sock_read=timeout_s)
        self.ssl_context = ssl_context or ssl.create_default_context(cafile=certifi.where())
        self.idle_s = max(120.0, 4 * (timeout_s + connect_timeout_s))
        self._session: aiohttp.ClientSession | None = None  # made in the event loop
        self._vetted: dict[str, float] = {}  # origin -> last used (monotonic)
        self._swept = time.monotonic()

    def __len__(self) -> int:
        return len(self._vetted)

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=0, limit_per_host=self.per_origin, resolver=GuardedResolver(self.guard),
                use_dns_cache=False, ssl=self.ssl_context, keepalive_timeout=60)
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=self.timeout,
                auto_decompress=False, trust_env=False,
                skip_auto_headers=("Accept", "Accept-Encoding", "Content-Type"))
        return self._session

    async def post(self, url: str, content: bytes,
                   headers: dict[str, str]) -> tuple[int, Mapping[str, str]]:
        """POST without following redirects; the answer's status and headers (body dropped).

        Raises :class:`Refused`, ``aiohttp.ClientError``, ``OSError`` or ``TimeoutError``.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._vetted:
            await self.guard.vet_target(url)
        self._vetted[origin] = time.monotonic()
        async with self.session().post(url, data=content, allow_redirects=False,
                                       headers={"User-Agent": USER_AGENT, **headers}) as answer:
            read = 0
            while chunk := await answer.content.read(MAX_ANSWER):
                read += len(chunk)
                if read > MAX_ANSWER:
                    answer.close()  # drops the connection rather than reading on
                    break
            return answer.status, answer.headers

    async def sweep(self) -> None:
        """Forget origins not used for ``idle_s`` (looked at every 10 s); the connector
        closes their idle connections itself."""
        now = time.monotonic()
        if now - self._swept < 10:
            return
        self._swept = now
        for origin in [o for o, used in self._vetted.items() if now - used > self.idle_s]:
            del self._vetted[origin]

    async def aclose(self) -> None:
        session, self._session = self._session, None
        self._vetted.clear()
        if session is not None:
            await session.close()
