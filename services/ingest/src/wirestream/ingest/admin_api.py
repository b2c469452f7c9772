"""The agency admin API: ``/v1/admin/agencies``, behind a Bearer admin token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from wirestream.common.admin_auth import admin_guard
from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime

from . import agencies
from .agencies import AgencyChanges, FeedUrl, Language, PollInterval
from .keys import AgencyKeyCache
from .models import Agency
from .settings import IngestSettings
from .writes import Writes


class AgencyIn(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    default_language: Language | None = None
    priority: int = Field(default=0, ge=-1000, le=1000)
    feed_url: FeedUrl | None = None
    poll_interval_s: PollInterval | None = None


class AgencyOut(BaseModel):
    name: str
    disabled: bool
    default_language: str | None
    priority: int
    feed_url: str | None
    poll_interval_s: int | None
    feed_next_poll_at: datetime | None = None
    feed_error: str | None = None
    active_secrets: int


class AgencyCreated(AgencyOut):
    secret: str


def _out(a: Agency) -> dict[str, Any]:
    return {"name": a.name, "disabled": a.disabled, "default_language": a.default_language,
            "priority": a.priority, "feed_url": a.feed_url,
            "poll_interval_s": a.poll_interval_s, "feed_next_poll_at": a.feed_next_poll_at,
            "feed_error": a.feed_error, "active_secrets": len(a.secrets)}


def _no_such_agency() -> Problem:
    return Problem(404, "no-such-agency", "No such agency")


def admin_router(runtime: Runtime, settings: IngestSettings, *, keys: AgencyKeyCache,
                 writes: Writes) -> APIRouter:
    require_admin = admin_guard(lambda: settings.admin_token)
    router = APIRouter(prefix="/v1/admin/agencies", tags=["admin"],
                       dependencies=[Depends(require_admin)])

    @router.post("", status_code=201, response_model=AgencyCreated)
    async def create(body: AgencyIn) -> dict[str, Any]:
        async with writes.transaction() as tx:
            try:
                a = await agencies.create_agency(
                    tx.session, body.name, now=datetime.now(UTC),
                    default_language=body.default_language, priority=body.priority,
                    feed_url=body.feed_url, poll_interval_s=body.poll_interval_s)
            except agencies.AgencyExists as exc:
                raise Problem(409, "agency-exists", "Agency already exists",
                              pointer="/name") from exc
        keys.forget(body.name)  # it may be remembered as unknown
        return {**_out(a), "secret": a.secrets[0]}

    @router.get("", response_model=list[AgencyOut])
    async def list_all() -> list[dict[str, Any]]:
        async with runtime.sessions() as session:
            return [_out(a) for a in await agencies.list_agencies(session)]

    @router.patch("/{name}", response_model=AgencyOut)
    async def update(name: str, body: AgencyChanges) -> dict[str, Any]:
        """Change an agency's settings; only the fields sent are changed."""
        async with writes.transaction() as tx:
            try:
                a = await agencies.update_agency(tx.session, name, body)
            except KeyError as exc:
                raise _no_such_agency() from exc
        keys.forget(name)
        return _out(a)

    @router.post("/{name}/rotate", response_model=AgencyCreated)
    async def rotate(name: str) -> dict[str, Any]:
        async with writes.transaction() as tx:
            try:
                secret = await agencies.rotate_secret(tx.session, name)
            except KeyError as exc:
                raise _no_such_agency() from exc
            a = await tx.session.get(Agency, name)
        assert a is not None
        keys.forget(name)
        return {**_out(a), "secret": secret}

    @router.post("/{name}/disable", response_model=AgencyOut)
    async def disable(name: str) -> dict[str, Any]:
        async with writes.transaction() as tx:
            try:
                a = await agencies.set_disabled(tx.session, name, True)
            except KeyError as exc:
                raise _no_such_agency() from exc
        keys.forget(name)
        return _out(a)

    return router
