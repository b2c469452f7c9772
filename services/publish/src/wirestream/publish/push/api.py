"""``/v1/push/subscriptions``: webhook subscriptions (admin) and their delivery logs
(admin, or the subscriber with its own token)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import utcnow
from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime

from . import subscriptions as subs
from .auth import bearer, same_secret, unauthorized
from .models import WebhookSubscription
from .schemas import (
    DeliveryDetail,
    DeliveryOut,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)
from .settings import PushSettings
from .ssrf import Guard, Refused

Status = Literal["pending", "delivered", "failed", "gone", "refused", "cancelled"]


def _sub(row: WebhookSubscription) -> dict[str, Any]:
    return SubscriptionOut.model_validate(row, from_attributes=True).model_dump()


def _delivery(e: subs.LogEntry) -> dict[str, Any]:
    d = e.delivery
    return {"id": d.id, "event_id": e.event_id, "event_type": e.kind, "status": d.status,
            "attempts": d.attempts, "last_status_code": d.last_status_code,
            "last_error": d.last_error, "next_attempt_at": d.next_attempt_at,
            "created_at": d.created_at, "delivered_at": d.delivered_at}


async def checked_url(guard: Guard, url: str) -> str:
    """``url`` if the SSRF policy allows it now (it is checked again on every send)."""
    try:
        async with asyncio.timeout(5):
            await guard.check(url)
    except Refused as exc:
        raise Problem(422, "url-refused", "URL refused", str(exc), pointer="/url") from exc
    except OSError as exc:  # includes the DNS timeout
        raise Problem(422, "url-unresolvable", "URL host does not resolve", str(exc),
                      pointer="/url") from exc
    return url


def subscriptions_router(runtime: Runtime, *, settings: PushSettings, guard: Guard,
                         wake: Callable[[], None]) -> APIRouter:
    async def admin(authorization: Annotated[str | None, Header()] = None) -> None:
        if not same_secret(bearer(authorization), settings.admin_token):
            raise unauthorized()

    async def admin_or_owner(sub_id: str,
                             authorization: Annotated[str | None, Header()] = None) -> None:
        token = bearer(authorization)
        if same_secret(token, settings.admin_token):
            return
        async with runtime.sessions() as session:
            if token and await subs.is_own_token(session, sub_id, token):
                return
        raise unauthorized("Admin or subscriber token required")

    @asynccontextmanager
    async def unit() -> AsyncIterator[AsyncSession]:
        async with runtime.sessions() as session, session.begin():
            try:
                yield session
            except subs.NotFound as exc:
                raise Problem(404, "not-found", "No such subscription or delivery") from exc
            except subs.Disabled as exc:
                raise Problem(409, "subscription-disabled", "Subscription is disabled",
                              "Re-enable it (PATCH disabled=false) first.") from exc

    router = APIRouter(prefix="/v1/push/subscriptions", tags=["push"])
    as_admin, as_owner = [Depends(admin)], [Depends(admin_or_owner)]

    @router.post("", status_code=201, response_model=SubscriptionCreated, dependencies=as_admin)
    async def create(body: SubscriptionIn) -> dict[str, Any]:
        url = await checked_url(guard, body.url)
        async with unit() as session:
            row, token = await subs.create(session, url=url, description=body.description,
                                           filters=body.filters.model_dump(), now=utcnow())
        return {**_sub(row), "secret": row.secret, "token": token}

    @router.get("", response_model=list[SubscriptionOut], dependencies=as_admin)
    async def listing() -> list[dict[str, Any]]:
        async with unit() as session:
            return [_sub(r) for r in await subs.listing(session)]

    @router.get("/{sub_id}", response_model=SubscriptionOut, dependencies=as_owner)
    async def get(sub_id: str) -> dict[str, Any]:
        async with unit() as session:
            return _sub(await subs.get(session, sub_id))

    @router.patch("/{sub_id}", response_model=SubscriptionOut, dependencies=as_admin)
    async def update(sub_id: str, body: SubscriptionPatch) -> dict[str, Any]:
        changes = body.model_dump(exclude_unset=True, exclude_none=True)
        if body.filters is not None:  # filters are replaced as a whole
            changes["filters"] = body.filters.model_dump()
        if "url" in changes:
            await checked_url(guard, changes["url"])
        async with unit() as session:
            return _sub(await subs.update(session, sub_id, changes, now=utcnow()))

    @router.delete("/{sub_id}", status_code=204, dependencies=as_admin)
    async def delete(sub_id: str) -> Response:
        async with unit() as session:
            await subs.delete(session, sub_id)
        return Response(status_code=204)

    @router.get("/{sub_id}/deliveries", response_model=list[DeliveryOut], dependencies=as_owner)
    async def deliveries(sub_id: str, status: Status | None = None,
                         limit: Annotated[int, Query(ge=1, le=200)] = 50,
                         before: datetime | None = None) -> list[dict[str, Any]]:
        if before is not None and before.tzinfo is not None:
            before = before.astimezone(UTC)
        async with unit() as session:
            log = await subs.log(session, sub_id, status=status, limit=limit, before=before)
        return [_delivery(e) for e in log]

    @router.get("/{sub_id}/deliveries/{delivery_id}", response_model=DeliveryDetail,
                dependencies=as_owner)
    async def delivery(sub_id: str, delivery_id: str) -> dict[str, Any]:
        async with unit() as session:
            found, attempts = await subs.entry(session, sub_id, delivery_id)
            log = [{"number": a.number, "started_at": a.started_at, "outcome": a.outcome,
                    "duration_ms": a.duration_ms, "status_code": a.status_code,
                    "error": a.error} for a in attempts]
        return {**_delivery(found), "attempts_log": log}

    @router.post("/{sub_id}/deliveries/{delivery_id}/redeliver", status_code=202,
                 response_model=DeliveryOut, dependencies=as_owner)
    async def redeliver(sub_id: str, delivery_id: str) -> dict[str, Any]:
        async with unit() as session:
            found = await subs.redeliver(session, sub_id, delivery_id, now=utcnow(),
                                         max_attempts=settings.push_max_attempts)
        wake()
        return _delivery(found)

    return router
