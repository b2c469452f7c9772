"""Webhook subscriptions and their delivery log (the caller owns the transaction)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.webhooks import new_secret

from .auth import new_subscriber_token, same_secret, token_hash
from .models import Attempt, Delivery, Message, WebhookSubscription


class NotFound(Exception):
    """No such subscription or delivery (or not this subscription's)."""


class Disabled(Exception):
    """The subscription is disabled; re-enable it before redelivering."""


@dataclass(frozen=True)
class LogEntry:
    delivery: Delivery
    kind: str
    event_id: str


async def create(session: AsyncSession, *, url: str, description: str,
                 filters: dict[str, Any], now: datetime) -> tuple[WebhookSubscription, str]:
    """A new subscription and the subscriber's read token (shown once, stored hashed)."""
    token = new_subscriber_token()
    row = WebhookSubscription(
        id="sub_" + secrets.token_hex(12), url=url, description=description,
        secret=new_secret(), token_hash=token_hash(token), filters=filters, disabled=False,
        created_at=now, updated_at=now)
    session.add(row)
    return row, token


async def listing(session: AsyncSession) -> list[WebhookSubscription]:
    return list((await session.scalars(
        sa.select(WebhookSubscription).order_by(WebhookSubscription.created_at))).all())


async def get(session: AsyncSession, sub_id: str) -> WebhookSubscription:
    row = await session.get(WebhookSubscription, sub_id)
    if row is None:
        raise NotFound(sub_id)
    return row


async def is_own_token(session: AsyncSession, sub_id: str, token: str) -> bool:
    stored = await session.scalar(
        sa.select(WebhookSubscription.token_hash).where(WebhookSubscription.id == sub_id))
    return stored is not None and same_secret(token_hash(token), stored)


async def update(session: AsyncSession, sub_id: str, changes: dict[str, Any], *,
                 now: datetime) -> WebhookSubscription:
    row = await get(session, sub_id)
    for field in ("url", "description", "filters"):
        if field in changes:
            setattr(row, field, changes[field])
    if "disabled" in changes:
        row.disabled = changes["disabled"]
        row.disabled_reason = "disabled by admin" if row.disabled else None
    row.updated_at = now
    return row


async def delete(session: AsyncSession, sub_id: str) -> None:
    row = await get(session, sub_id)
    await session.execute(sa.delete(Delivery).where(Delivery.target_id == sub_id))
    await session.delete(row)


async def log(session: AsyncSession, sub_id: str, *, status: str | None, limit: int,
              before: datetime | None) -> list[LogEntry]:
    await get(session, sub_id)
    q = (sa.select(Delivery, Message.kind, Message.event_id)
         .join(Message, Message.id == Delivery.message_id)
         .where(Delivery.target_id == sub_id, Delivery.channel == "webhook"))
    if status:
        q = q.where(Delivery.status == status)
    if before:
        q = q.where(Delivery.created_at < before)
    rows = (await session.execute(
        q.order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit))).all()
    return [LogEntry(d, kind, event_id) for d, kind, event_id in rows]


async def entry(session: AsyncSession, sub_id: str,
                delivery_id: str) -> tuple[LogEntry, list[Attempt]]:
    row = (await session.execute(
        sa.select(Delivery, Message.kind, Message.event_id)
        .join(Message, Message.id == Delivery.message_id)
        .where(Delivery.id == delivery_id, Delivery.target_id == sub_id))).first()
    if row is None:
        raise NotFound(delivery_id)
    attempts = (await session.scalars(sa.select(Attempt).where(
        Attempt.delivery_id == delivery_id).order_by(Attempt.number, Attempt.id))).all()
    return LogEntry(*row), list(attempts)


async def redeliver(session: AsyncSession, sub_id: str, delivery_id: str, *, now: datetime,
                    max_attempts: int) -> LogEntry:
    """Queue a delivery again, due now, with the same webhook-id and a fresh retry budget."""
    if (await get(session, sub_id)).disabled:
        raise Disabled(sub_id)
    found, _ = await entry(session, sub_id, delivery_id)
    d = found.delivery
    d.status, d.next_attempt_at, d.updated_at = "pending", now, now
    d.give_up_after = d.attempts + max_attempts
    return found
