"""Ingest's HTTP routes: the agency webhook and the agency admin API."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime
from wirestream.common.webhooks import verify

from . import agencies
from .formats import FormatError, parse_wire
from .models import Agency, WebhookReceipt
from .service import accept
from .settings import IngestSettings


def _now() -> datetime:
    return datetime.now(UTC)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Problem(413, "payload-too-large", "Payload too large",
                      f"The body exceeds the {limit}-byte limit.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, "payload-too-large", "Payload too large",
                          f"The body exceeds the {limit}-byte limit.")
        chunks.append(chunk)
    return b"".join(chunks)


def _unauthorized(detail: str) -> Problem:
    return Problem(401, "invalid-signature", "Signature verification failed", detail,
                   headers={"WWW-Authenticate": 'Webhook realm="wirestream"'})


def webhook_router(runtime: Runtime, settings: IngestSettings) -> APIRouter:
    router = APIRouter(tags=["wire"])

    async def _accept(agency: str, webhook_id: str, body: bytes, text: str,
                      request: Request) -> tuple[dict[str, Any], list[Any]]:
        async with runtime.transaction() as tx:
            row = await tx.session.get(Agency, agency)
            if row is None or row.disabled:
                raise _unauthorized("Unknown or disabled agency.")
            if not verify(row.secrets, text, request.headers):
                raise _unauthorized("Missing, stale or wrong webhook signature.")
            receipt = await tx.session.get(WebhookReceipt, (agency, webhook_id))
            if receipt is not None:  # a replay: answer as the first time, do nothing
                return {**receipt.response, "replayed": True}, []
            try:
                items = parse_wire(body, request.headers.get("content-type"), agency=agency,
                                   default_language=row.default_language)
            except FormatError as exc:
                raise Problem(exc.status, exc.type, exc.title, exc.detail,
                              pointer=exc.pointer) from exc
            now = _now()
            results = [await accept(tx, item, now=now) for item in items]
            response: dict[str, Any] = {"items": [r.as_json() for r in results]}
            if len(results) == 1:
                response["article_id"] = results[0].article_id
            tx.session.add(WebhookReceipt(agency=agency, webhook_id=webhook_id,
                                          response=response, received_at=now))
        return response, results

    @router.post("/v1/wire/{agency}", status_code=202,
                 responses={202: {"description": "Accepted and durable"}})
    async def receive(agency: str, request: Request) -> JSONResponse:
        """Receive one wire document signed with Standard Webhooks."""
        body = await _read_body(request, settings.max_body_bytes)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Problem(400, "invalid-utf8", "Body is not valid UTF-8",
                          f"Invalid byte at offset {exc.start}.", pointer=f"byte {exc.start}")
        webhook_id = request.headers.get("webhook-id", "")
        try:
            response, results = await _accept(agency, webhook_id, body, text, request)
        except IntegrityError:
            # The same webhook-id raced us and won: answer as it was answered.
            async with runtime.sessions() as session:
                receipt = await session.get(WebhookReceipt, (agency, webhook_id))
            if receipt is None:  # another item raced for the same article: retry soon
                raise Problem(503, "conflict-retry", "Concurrent update, retry",
                              headers={"Retry-After": "1"}) from None
            return JSONResponse({**receipt.response, "replayed": True}, status_code=202)
        for r in results:
            runtime.metrics.webhooks_accepted.labels(agency, r.outcome).inc()
        return JSONResponse(response, status_code=202)

    return router


class AgencyIn(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    default_language: str | None = Field(default=None, max_length=16)
    priority: int = 0
    feed_url: str | None = None
    poll_interval_s: int | None = Field(default=None, ge=10)


class AgencyOut(BaseModel):
    name: str
    disabled: bool
    default_language: str | None
    priority: int
    feed_url: str | None
    poll_interval_s: int | None
    active_secrets: int


class AgencyCreated(AgencyOut):
    secret: str


def _out(a: Agency) -> dict[str, Any]:
    return {"name": a.name, "disabled": a.disabled, "default_language": a.default_language,
            "priority": a.priority, "feed_url": a.feed_url,
            "poll_interval_s": a.poll_interval_s, "active_secrets": len(a.secrets)}


def admin_router(runtime: Runtime, settings: IngestSettings) -> APIRouter:
    async def require_admin(authorization: Annotated[str | None, Header()] = None) -> None:
        token = settings.admin_token
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            raise Problem(401, "unauthorized", "Admin token required",
                          headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix="/v1/admin/agencies", tags=["admin"],
                       dependencies=[Depends(require_admin)])

    @router.post("", status_code=201, response_model=AgencyCreated)
    async def create(body: AgencyIn) -> dict[str, Any]:
        async with runtime.transaction() as tx:
            try:
                a = await agencies.create_agency(
                    tx.session, body.name, now=_now(), default_language=body.default_language,
                    priority=body.priority, feed_url=body.feed_url,
                    poll_interval_s=body.poll_interval_s)
            except agencies.AgencyExists as exc:
                raise Problem(409, "agency-exists", "Agency already exists",
                              pointer="/name") from exc
        return {**_out(a), "secret": a.secrets[0]}

    @router.get("", response_model=list[AgencyOut])
    async def list_all() -> list[dict[str, Any]]:
        async with runtime.sessions() as session:
            return [_out(a) for a in await agencies.list_agencies(session)]

    @router.post("/{name}/rotate", response_model=AgencyCreated)
    async def rotate(name: str) -> dict[str, Any]:
        async with runtime.transaction() as tx:
            try:
                secret = await agencies.rotate_secret(tx.session, name)
            except KeyError as exc:
                raise Problem(404, "no-such-agency", "No such agency") from exc
            a = await tx.session.get(Agency, name)
        assert a is not None
        return {**_out(a), "secret": secret}

    @router.post("/{name}/disable", response_model=AgencyOut)
    async def disable(name: str) -> dict[str, Any]:
        async with runtime.transaction() as tx:
            try:
                a = await agencies.set_disabled(tx.session, name, True)
            except KeyError as exc:
                raise Problem(404, "no-such-agency", "No such agency") from exc
        return _out(a)

    return router
