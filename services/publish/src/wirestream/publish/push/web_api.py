"""``/v1/push/web``: the site registers readers' browsers for Web Push (no auth: the
endpoint URL itself is the browser's secret)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from wirestream.common.events import utcnow
from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime

from . import browsers
from .api import checked_url
from .schemas import BrowserIn, BrowserOut
from .ssrf import Guard
from .webpush import VapidSigner, valid_keys


def _out(bid: str, follows: list[tuple[str, str]], languages: list[str]) -> dict[str, Any]:
    return {"id": bid, "tags": [v for k, v in follows if k == "tag"],
            "stories": [v for k, v in follows if k == "story"],
            "breaking": ("breaking", "") in follows, "languages": languages}


def web_push_router(runtime: Runtime, *, guard: Guard, vapid: VapidSigner | None) -> APIRouter:
    router = APIRouter(prefix="/v1/push/web", tags=["web push"])

    def configured() -> VapidSigner:
        if vapid is None:
            raise Problem(503, "web-push-off", "Web Push is not configured",
                          "The server has no VAPID key.")
        return vapid

    @router.get("/vapid-public-key")
    async def public_key() -> dict[str, str]:
        """The applicationServerKey for ``PushManager.subscribe``."""
        return {"public_key": configured().public_key}

    @router.post("/subscriptions", status_code=201, response_model=BrowserOut)
    async def register(body: BrowserIn) -> dict[str, Any]:
        configured()
        if not valid_keys(body.keys.p256dh, body.keys.auth):
            raise Problem(422, "invalid-keys", "Invalid subscription keys",
                          "p256dh must be a P-256 point and auth 16 bytes (base64url).",
                          pointer="/keys")
        f = body.follow
        if not (f.tags or f.stories or f.breaking):
            raise Problem(422, "nothing-followed", "Follow a tag, a story or breaking news",
                          pointer="/follow")
        await checked_url(guard, body.endpoint)
        async with runtime.sessions() as session, session.begin():
            row = await browsers.register(
                session, endpoint=body.endpoint, p256dh=body.keys.p256dh, auth=body.keys.auth,
                tags=f.tags, stories=f.stories, breaking=f.breaking, languages=body.languages,
                now=utcnow())
            follows = await browsers.follows(session, row.id)
        return _out(row.id, follows, row.languages)

    @router.delete("/subscriptions/{browser_id}", status_code=204)
    async def unregister(browser_id: str) -> Response:
        async with runtime.sessions() as session, session.begin():
            if not await browsers.unregister(session, browser_id):
                raise Problem(404, "not-found", "No such browser subscription")
        return Response(status_code=204)

    return router
