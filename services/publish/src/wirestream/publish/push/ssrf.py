"""SSRF guard: subscriber URLs may only reach public addresses, checked on every connect.

URLs are checked when a subscription is created or changed, and again when
each connection is opened: :class:`GuardedResolver` is the HTTP client's
resolver, so the connection goes to the address it vetted and a DNS answer
that changes between the check and the connect (rebinding) cannot smuggle a
private address in. TLS still verifies the certificate against the host name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

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

    async def vet_target(self, url: str) -> None:
        """What can be checked of ``url`` once, before its first connection: the scheme,
        credentials and port, and an address literal (names are checked on every connect)."""
        host, port = self.parse(url)
        try:
            ipaddress.ip_address(host.strip("[]").split("%")[0])
        except ValueError:
            return
        await self.addresses(host, port)


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver for push: every new connection resolves here, and is refused here.

    The connector connects to the addresses this returns, so the address vetted
    is the address used (no second lookup). Names only: aiohttp does not ask a
    resolver about address literals, which :meth:`Guard.vet_target` covers.
    """

    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        return [{"hostname": host, "host": address, "port": port,
                 "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}
                for address in await self.guard.addresses(host, port)]

    async def close(self) -> None:
        return None
