"""Admin routes: API keys for moderators and admins, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from .. import staff as staff_rules
from ..models import BIGINT_MAX, ApiKey, utc
from .context import Admin, Context


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[\w.@ -]+$")
    role: staff_rules.Role = "moderator"


class KeyOut(BaseModel):
    key_id: str
    name: str
    role: str
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = None
    key: str | None = None  # only in the answer that creates it

    @classmethod
    def of(cls, row: ApiKey, key: str | None = None) -> KeyOut:
        return cls(key_id=row.key_id, name=row.name, role=row.role, created_by=row.created_by,
                   created_at=utc(row.created_at),
                   revoked_at=utc(row.revoked_at) if row.revoked_at else None, key=key)


def admin_router(ctx: Context) -> APIRouter:
    router = APIRouter(prefix="/v1/admin", tags=["admin"])
    runtime = ctx.runtime

    @router.post("/keys", status_code=201)
    async def create_key(body: KeyIn, admin: Admin) -> KeyOut:
        now = ctx.now()
        async with runtime.transaction() as tx:
            row, key = await staff_rules.create_key(tx.session, name=body.name, role=body.role,
                                                    by=admin, now=now)
            staff_rules.audit(tx.session, admin, "create-key", "api-key", row.key_id, now=now,
                              detail={"name": body.name, "role": body.role})
        return KeyOut.of(row, key)

    @router.get("/keys")
    async def keys(admin: Admin) -> dict[str, list[KeyOut]]:
        async with runtime.sessions() as session:
            return {"keys": [KeyOut.of(k) for k in await staff_rules.list_keys(session)]}

    @router.delete("/keys/{key_id}", status_code=204)
    async def revoke(key_id: Annotated[str, Path(max_length=32)], admin: Admin) -> Response:
        now = ctx.now()
        async with runtime.transaction() as tx:
            await staff_rules.revoke_key(tx.session, key_id, now=now)
            staff_rules.audit(tx.session, admin, "revoke-key", "api-key", key_id, now=now)
        return Response(status_code=204)

    @router.get("/audit")
    async def audit_log(
        admin: Admin,
        before: Annotated[int | None, Query(ge=1, le=BIGINT_MAX)] = None,
        action: Annotated[str | None, Query(max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        async with runtime.sessions() as session:
            rows = await staff_rules.audit_log(session, limit=limit, before=before,
                                               action=action)
        entries = [{"audit_id": r.audit_id, "at": utc(r.at), "actor": r.actor, "role": r.role,
                    "action": r.action, "target_type": r.target_type,
                    "target_id": r.target_id, "reason": r.reason, "detail": r.detail}
                   for r in rows]
        return {"entries": entries,
                "next_before": rows[-1].audit_id if len(rows) == limit else None}

    return router
