"""The agency webhook: ``POST /v1/wire/{agency}``, signed with Standard Webhooks."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from wirestream.common.metrics import Metrics
from wirestream.common.problems import Problem

from .batching import GroupCommit, Receipt
from .formats import FormatError
from .keys import AgencyKeyCache
from .parsing import Parser
from .receiving import BadWebhookId, ConcurrentUpdate, Delivery, SignatureRefused, receive
from .settings import IngestSettings

# Set on the answer to a webhook-id seen before: same body, nothing done again.
REPLAYED_HEADER = "Idempotent-Replayed"


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    too_large = Problem(413, "payload-too-large", "Payload too large",
                        f"The body exceeds the {limit}-byte limit.")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(receipt: Receipt) -> JSONResponse:
    headers = {REPLAYED_HEADER: "true"} if receipt.replayed else None
    return JSONResponse(receipt.response, status_code=202, headers=headers)


def webhook_router(settings: IngestSettings, *, keys: AgencyKeyCache, group: GroupCommit,
                   parser: Parser, metrics: Metrics) -> APIRouter:
    router = APIRouter(tags=["wire"])

    @router.post("/v1/wire/{agency}", status_code=202,
                 responses={202: {"description": "Accepted and durable"}})
    async def receive_wire(agency: str, request: Request) -> JSONResponse:
        """Receive one wire document signed with Standard Webhooks."""
        body = await _read_body(request, settings.max_body_bytes)
        try:
            # Standard Webhooks signs text, so a body that is not UTF-8 cannot be verified.
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Problem(400, "invalid-utf8", "Body is not valid UTF-8",
                          f"Invalid byte at offset {exc.start}.",
                          pointer=f"byte {exc.start}") from exc
        delivery = Delivery(agency, body, text, request.headers,
                            request.headers.get("content-type"))
        try:
            receipt = await receive(delivery, keys=keys, group=group, parser=parser,
                                    now=datetime.now(UTC),
                                    max_bytes=settings.max_body_bytes,
                                    tolerance_s=settings.webhook_tolerance_s)
        except SignatureRefused as exc:
            raise Problem(401, "invalid-signature", "Signature verification failed", str(exc),
                          headers={"WWW-Authenticate": 'Webhook realm="wirestream"'}) from exc
        except BadWebhookId as exc:
            raise Problem(400, "invalid-webhook-id", "Invalid webhook-id", str(exc),
                          pointer="header webhook-id") from exc
        except FormatError as exc:
            raise Problem(exc.status, exc.type, exc.title, exc.detail,
                          pointer=exc.pointer) from exc
        except ConcurrentUpdate:
            raise Problem(503, "conflict-retry", "Concurrent update, retry",
                          headers={"Retry-After": "1"}) from None
        counter = metrics.webhooks_accepted
        if receipt.replayed:
            counter.labels(agency, "duplicate").inc()
        for r in receipt.results:
            counter.labels(agency, r.outcome).inc()
        return _answer(receipt)

    return router
