"""Periodic chores: release parked events, forget old delivery logs."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import utcnow

from .models import Delivery, Message
from .service import PushContext, release_overdue
from .settings import PushSettings


async def release(session: AsyncSession, *, ctx: PushContext, settings: PushSettings) -> int:
    return await release_overdue(session, ctx=ctx, now=utcnow(),
                                 wait_s=settings.push_facets_wait_s)


async def prune(session: AsyncSession, *, settings: PushSettings) -> None:
    """Finished deliveries (and messages nobody is owed any more) past the retention."""
    cutoff = utcnow() - timedelta(seconds=settings.push_log_retention_s)
    await session.execute(sa.delete(Delivery).where(Delivery.status != "pending",
                                                    Delivery.updated_at < cutoff))
    owed = sa.select(Delivery.id).where(Delivery.message_id == Message.id).exists()
    await session.execute(sa.delete(Message).where(Message.created_at < cutoff, ~owed))
