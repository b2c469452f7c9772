"""HTTP for deliveries: one small guarded httpx transport per origin, used directly.

* One pool per origin: httpcore's pool scans every connection it holds for
  every request it assigns, so a single pool for a thousand subscribers
  spends its time scanning; a pool per origin stays a few connections long
  and also bounds the connections any one subscriber (or push service) gets.
* Transports, not ``AsyncClient``: what the client adds — a cookie jar
  shared across requests, redirect and auth machinery — is unwanted here
  (a subscriber must not be able to set cookies for later deliveries) and
  costs about a quarter of the CPU per delivery (``bench/fanout.py``).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx

from .ssrf import Guard, GuardedTransport

USER_AGENT = "Wirestream-Push/1"
MAX_ANSWER = 64 * 1024  # read at most this much of an answer, then drop the connection


class OriginClients:
    def __init__(self, guard: Guard, *, per_origin: int, connect_timeout_s: float,
                 timeout_s: float) -> None:
        self.guard = guard
        self.limits = httpx.Limits(max_connections=per_origin,
                                   max_keepalive_connections=per_origin, keepalive_expiry=60)
        self.timeouts = {"connect": connect_timeout_s, "read": timeout_s, "write": timeout_s,
                         "pool": timeout_s}
        # Longer than any request can take, so an idle transport has nothing in flight.
        self.idle_s = max(120.0, 4 * (timeout_s + connect_timeout_s))
        self._pools: dict[str, tuple[GuardedTransport, float]] = {}
        self._swept = time.monotonic()

    def __len__(self) -> int:
        return len(self._pools)

    def transport(self, url: str) -> GuardedTransport:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        found = self._pools.get(origin)
        pool = found[0] if found else GuardedTransport(self.guard, limits=self.limits)
        self._pools[origin] = (pool, time.monotonic())
        return pool

    async def post(self, url: str, content: bytes,
                   headers: dict[str, str]) -> tuple[int, httpx.Headers]:
        """POST without following redirects; the answer's status and headers (body dropped)."""
        request = httpx.Request("POST", url, content=content,
                                headers={"User-Agent": USER_AGENT, **headers},
                                extensions={"timeout": self.timeouts})
        response = await self.transport(url).handle_async_request(request)
        try:
            read = 0
            async for chunk in response.aiter_raw():
                read += len(chunk)
                if read > MAX_ANSWER:
                    break
        finally:
            await response.aclose()
        return response.status_code, response.headers

    async def sweep(self) -> None:
        """Close the pools of origins not used for ``idle_s`` (looked at every 10 s)."""
        now = time.monotonic()
        if now - self._swept < 10:
            return
        self._swept = now
        for origin in [o for o, (_, used) in self._pools.items() if now - used > self.idle_s]:
            pool, _ = self._pools.pop(origin)
            await pool.aclose()

    async def aclose(self) -> None:
        pools, self._pools = self._pools, {}
        for pool, _ in pools.values():
            await pool.aclose()
