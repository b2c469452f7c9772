"""SSRF guard: subscriber URLs may only reach public addresses, checked on every connect.

URLs are checked when a subscription is created or changed, and again when
each connection is opened: :class:`GuardedBackend` resolves the host itself
and connects to the address it vetted, so a DNS answer that changes between
the check and the connect (rebinding) cannot smuggle a private address in.
TLS still verifies the certificate against the host name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

from .netio import AsyncioBackend

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Never a legitimate target, whatever the settings (AWS, GCP, Azure, ECS, Alibaba).
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200"))


class Refused(Exception):
    """A URL or address the push channels will not send to."""


def refusal(ip: IP, *, allow_private: bool = False) -> str | None:
    """Why ``ip`` may not be contacted, or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return refusal(ip.ipv4_mapped, allow_private=allow_private)
    if ip in METADATA:
        return "cloud metadata address"
    if allow_private:
        return None
    checks = (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
              ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified),
              ("reserved", ip.is_reserved), ("private", ip.is_private),
              ("not globally routable", not ip.is_global))
    return next((name for name, hit in checks if hit), None)


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Guard:
    """The policy (settings) plus the resolver; shared by the API and the sender."""

    def __init__(self, *, allow_private: bool = False, allow_http: bool = False,
                 resolver: Resolver = system_resolver) -> None:
        self.allow_private = allow_private
        self.allow_http = allow_http
        self.resolver = resolver

    def parse(self, url: str) -> tuple[str, int]:
        """Host and port of ``url``; refuses other schemes, credentials and odd ports."""
        parts = urlsplit(url)
        schemes = ("https", "http") if self.allow_http else ("https",)
        if parts.scheme not in schemes:
            raise Refused(f"scheme must be {' or '.join(schemes)}")
        if not parts.hostname or parts.username or parts.password:
            raise Refused("URL needs a host and no credentials")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise Refused("invalid port") from exc
        return parts.hostname, port

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host``; refuses if any of them is not allowed.

        Raises ``OSError`` when the name does not resolve (a transient failure).
        """
        host = host.strip("[]")
        try:  # an address literal needs no lookup
            found = [str(ipaddress.ip_address(host))]
        except ValueError:
            found = await self.resolver(host, port)
        if not found:
            raise socket.gaierror(f"no address for {host}")
        for address in found:
            reason = refusal(ipaddress.ip_address(address.split("%")[0]),
                             allow_private=self.allow_private)
            if reason:
                raise Refused(f"{host} resolves to {address}: {reason}")
        return found

    async def check(self, url: str) -> None:
        host, port = self.parse(url)
        await self.addresses(host, port)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the guard vetted for this very connection."""

    def __init__(self, guard: Guard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or AsyncioBackend()

    async def connect_tcp(self, host: str, port: int,
                          timeout: float | None = None,  # noqa: ASYNC109 - httpcore's API
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        async with asyncio.timeout(timeout):
            addresses = await self.guard.addresses(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address,
                                                    socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str,
                                  timeout: float | None = None,  # noqa: ASYNC109 - as above
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise Refused("unix sockets are not push targets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool whose every connect goes through the guard."""

    def __init__(self, guard: Guard, *, limits: httpx.Limits,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(limits=limits, trust_env=False)  # no proxy: it would bypass the guard
        # httpx has no public hook for the network backend; its pool is httpcore's public API.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or ssl.create_default_context(cafile=certifi.where()),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard),
        )
