"""Moderators and admins: API keys with a role, and the audit log of what they did.

Keys are random (256 bits) and only their SHA-256 is stored, so a copy of the
database does not hand out working keys. ``WIRESTREAM_ADMIN_TOKEN`` is an
admin that needs no row: it creates the first keys.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.admin_auth import bearer_token
from wirestream.common.events import new_id

from .errors import Conflict, Forbidden, NotFound, Unauthenticated
from .models import ApiKey, AuditEntry

Role = Literal["moderator", "admin"]
_RANK = {"moderator": 1, "admin": 2}
KEY_PREFIX = "wsk_"


@dataclass(frozen=True, slots=True)
class Staff:
    name: str
    role: Role

    def require(self, role: Role) -> None:
        if _RANK[self.role] < _RANK[role]:
            raise Forbidden("insufficient-role", f"This needs the {role} role.")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def authenticate(session: AsyncSession, authorization: str | None, *,
                       admin_token: str | None) -> Staff:
    """The staff member behind ``Authorization: Bearer <key>``."""
    key = bearer_token(authorization)
    if not key:
        raise Unauthenticated("api-key-required", "Send 'Authorization: Bearer <API key>'.",
                              headers={"WWW-Authenticate": "Bearer"})
    if admin_token and hmac.compare_digest(key.encode(), admin_token.encode()):
        return Staff("admin-token", "admin")
    row = await session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("invalid-api-key", "Unknown or revoked API key.",
                              headers={"WWW-Authenticate": "Bearer"})
    return Staff(row.name, row.role)  # type: ignore[arg-type]


async def create_key(session: AsyncSession, *, name: str, role: Role, by: Staff,
                     now: datetime) -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and never stored."""
    if await session.scalar(sa.select(ApiKey.key_id).where(ApiKey.name == name,
                                                           ApiKey.revoked_at.is_(None))):
        raise Conflict("key-name-taken", "An active key already has this name.",
                       pointer="/name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(key_id=new_id()[:16], name=name, role=role, key_hash=hash_key(key),
                 created_by=by.name, created_at=now)
    session.add(row)
    return row, key


async def revoke_key(session: AsyncSession, key_id: str, *, now: datetime) -> ApiKey:
    row = await session.get(ApiKey, key_id)
    if row is None:
        raise NotFound("no-such-key", "No such API key.", pointer="/key_id")
    row.revoked_at = row.revoked_at or now
    return row


async def list_keys(session: AsyncSession) -> list[ApiKey]:
    return list(await session.scalars(sa.select(ApiKey).order_by(ApiKey.created_at)))


def audit(session: AsyncSession, staff: Staff, action: str, target_type: str,
          target_id: str, *, now: datetime, reason: str | None = None,
          detail: dict[str, Any] | None = None) -> None:
    """Record one staff action in the caller's transaction (so it commits with it)."""
    session.add(AuditEntry(at=now, actor=staff.name, role=staff.role, action=action,
                           target_type=target_type, target_id=target_id, reason=reason,
                           detail=detail))


async def audit_log(session: AsyncSession, *, limit: int, before: int | None = None,
                    action: str | None = None) -> list[AuditEntry]:
    """Newest first; page with ``before`` = the last ``audit_id`` seen."""
    q = sa.select(AuditEntry)
    if before is not None:
        q = q.where(AuditEntry.audit_id < before)
    if action:
        q = q.where(AuditEntry.action == action)
    return list(await session.scalars(q.order_by(AuditEntry.audit_id.desc()).limit(limit)))
