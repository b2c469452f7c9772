"""The tables push owns, on publish's metadata (Alembic branch ``push``).

A *message* is what one event becomes on one channel (the body is the same
for every subscriber); a *delivery* is that message owed to one target, its
id being the ``webhook-id`` the subscriber sees on every retry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base

TS = sa.DateTime(timezone=True)


class WebhookSubscription(Base):
    __tablename__ = "push_subscriptions"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    url: Mapped[str] = mapped_column(sa.Text)
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    secret: Mapped[str] = mapped_column(sa.String(100))
    # sha256 of the subscriber's own read token (delivery log, redeliver).
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    disabled: Mapped[bool] = mapped_column(default=False)
    disabled_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)


class BrowserSubscription(Base):
    """A reader's browser (RFC 8030 push subscription) and the languages it wants."""

    __tablename__ = "push_browsers"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    endpoint: Mapped[str] = mapped_column(sa.Text)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    languages: Mapped[list[str]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(TS)


class BrowserFollow(Base):
    """What a browser follows: ``tag``/``story`` with a value, or ``breaking``."""

    __tablename__ = "push_follows"

    browser_id: Mapped[str] = mapped_column(
        sa.ForeignKey("push_browsers.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200), primary_key=True)

    __table_args__ = (sa.Index("ix_push_follows_kind_value", "kind", "value"),)


class ArticleFacets(Base):
    """What filters match on, from the enriched stream; published events wait here for it."""

    __tablename__ = "push_articles"

    article_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)  # 0: no enriched event seen yet
    language: Mapped[str | None] = mapped_column(sa.String(16))
    section: Mapped[str | None] = mapped_column(sa.String(200))
    story_id: Mapped[str | None] = mapped_column(sa.String(64))
    urgency: Mapped[int | None] = mapped_column()
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    iptc: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    waiting: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    waiting_since: Mapped[datetime | None] = mapped_column(TS, index=True)
    updated_at: Mapped[datetime] = mapped_column(TS)


class Message(Base):
    __tablename__ = "push_messages"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16))
    event_id: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(32))
    body: Mapped[str] = mapped_column(sa.Text)
    urgency: Mapped[int | None] = mapped_column()
    topic: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(TS, index=True)


class Delivery(Base):
    __tablename__ = "push_deliveries"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # the webhook-id
    message_id: Mapped[str] = mapped_column(
        sa.ForeignKey("push_messages.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[str] = mapped_column(sa.String(40))
    # pending | delivered | failed | gone | refused | cancelled
    status: Mapped[str] = mapped_column(sa.String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    give_up_after: Mapped[int] = mapped_column()
    next_attempt_at: Mapped[datetime | None] = mapped_column(TS)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)
    delivered_at: Mapped[datetime | None] = mapped_column(TS)

    __table_args__ = (
        sa.Index("ix_push_deliveries_due", "status", "next_attempt_at"),
        sa.Index("ix_push_deliveries_target", "target_id", "created_at"),
    )


class Attempt(Base):
    __tablename__ = "push_attempts"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
        autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        sa.ForeignKey("push_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(TS)
    duration_ms: Mapped[int] = mapped_column()
    outcome: Mapped[str] = mapped_column(sa.String(16))
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(sa.Text)
