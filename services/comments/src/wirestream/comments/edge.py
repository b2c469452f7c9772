"""What every request passes before a route: a size cap, CSRF protection, the client address.

CSRF: this API uses no cookies, but an anonymous comment needs no credential
at all, so a page on another site could make a visitor's browser post one
(from the visitor's address, which rate limits and bans key on). A browser
sends a cross-site form without custom headers, and sends a cross-site
``fetch`` with one only after a CORS preflight that only the site's origins
pass. So a state-changing request must carry ``Authorization: Bearer ...`` or
``X-Requested-With: wirestream``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirestream.common.problems import Problem, problem_response

CSRF_HEADER = "x-requested-with"
CSRF_VALUE = "wirestream"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class EdgeMiddleware:
    """Refuse bodies over ``max_body_bytes`` (413) and unsafe requests without a custom
    header (403), before FastAPI reads or parses anything."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _UNSAFE:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        if not (headers.get("authorization", "").lower().startswith("bearer ")
                or headers.get(CSRF_HEADER, "").lower() == CSRF_VALUE):
            await self._refuse(scope, receive, send, Problem(
                403, "csrf", "Missing anti-forgery header",
                f"Send 'X-Requested-With: {CSRF_VALUE}' (or a Bearer token) with this request."))
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(scope, receive, send, self._too_large())
            return
        # Read the (small, JSON) body here, so a chunked upload that grows past the
        # cap is refused with 413 too; the route then reads it from memory.
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.max_body_bytes:
                await self._refuse(scope, receive, send, self._too_large())
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _too_large(self) -> Problem:
        return Problem(413, "payload-too-large", "Payload too large",
                       f"The body exceeds the {self.max_body_bytes}-byte limit.")

    async def _refuse(self, scope: Scope, receive: Receive, send: Send,
                      problem: Problem) -> None:
        response = problem_response(problem, Request(scope, receive))
        await response(scope, receive, send)


def client_ip(request: Request, *, hops: int) -> str:
    """The caller's address: the socket peer, or with ``hops`` trusted proxies in front,
    the address the outermost of them saw (taken from the right of X-Forwarded-For,
    since a client can put anything on the left)."""
    peer = request.client.host if request.client else "unknown"
    if hops <= 0:
        return peer
    forwarded = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",")
                 if p.strip()]
    return forwarded[-hops] if len(forwarded) >= hops else (forwarded[0] if forwarded else peer)
