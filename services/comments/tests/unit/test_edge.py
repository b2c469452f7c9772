"""The edge: anti-forgery header, body cap, client address behind proxies."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from wirestream.comments.edge import EdgeMiddleware, client_ip


async def _echo(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


def _client() -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/x", _echo, methods=["GET", "POST", "DELETE"])],
                    middleware=[Middleware(EdgeMiddleware, max_body_bytes=100)])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_unsafe_requests_need_the_header_or_a_bearer_token() -> None:
    async with _client() as c:
        assert (await c.get("/x")).status_code == 200
        refused = await c.post("/x", content=b"{}")
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert (await c.delete("/x")).status_code == 403
        ok = await c.post("/x", content=b"{}", headers={"X-Requested-With": "wirestream"})
        assert ok.json() == {"size": 2}
        assert (await c.post("/x", headers={"Authorization": "Bearer t"})).status_code == 200
        wrong = await c.post("/x", headers={"X-Requested-With": "XMLHttpRequest"})
        assert wrong.status_code == 403


async def test_bodies_over_the_cap_are_refused_even_when_chunked() -> None:
    headers = {"X-Requested-With": "wirestream"}

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(5):
            yield b"x" * 30

    async with _client() as c:
        assert (await c.post("/x", content=b"x" * 101, headers=headers)).status_code == 413
        assert (await c.post("/x", content=chunks(), headers=headers)).status_code == 413
        assert (await c.post("/x", content=b"x" * 100, headers=headers)).status_code == 200


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "headers": headers, "client": (peer, 1234)})


def test_client_ip_trusts_only_the_configured_proxies() -> None:
    spoofed = "6.6.6.6, 203.0.113.9"  # the client wrote the first, our proxy the second
    assert client_ip(_request("10.0.0.2", spoofed), hops=0) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", spoofed), hops=1) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2", None), hops=1) == "10.0.0.2"
