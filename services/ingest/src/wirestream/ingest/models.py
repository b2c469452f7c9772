"""The tables ingest owns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class Agency(Base):
    """A wire agency allowed to push items, with its webhook secrets."""

    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # Several secrets may be active at once so keys rotate without downtime.
    secrets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    disabled: Mapped[bool] = mapped_column(default=False)
    default_language: Mapped[str | None] = mapped_column(sa.String(16))
    priority: Mapped[int] = mapped_column(default=0)
    feed_url: Mapped[str | None] = mapped_column(sa.String(2000))
    poll_interval_s: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # Feed polling state: the validators of the last feed we took (conditional GET),
    # when the feed is next due (also a lease, so only one replica polls it) and
    # the last failure, shown to operators until a poll succeeds.
    feed_etag: Mapped[str | None] = mapped_column(sa.String(500))
    feed_last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    feed_next_poll_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    feed_error: Mapped[str | None] = mapped_column(sa.String(500))


class StoredArticle(Base):
    """The latest accepted version of each agency item."""

    __tablename__ = "articles"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    agency: Mapped[str] = mapped_column(sa.String(64), index=True)
    uri: Mapped[str] = mapped_column(sa.String(1000))
    version: Mapped[int] = mapped_column()
    pub_status: Mapped[str] = mapped_column(sa.String(16))
    # "live" (events emitted), "embargoed" (waiting), "held" (withheld), "killed".
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    embargoed_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True),
                                                             index=True)
    emitted_version: Mapped[int | None] = mapped_column()
    correlation_id: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class WebhookReceipt(Base):
    """Each accepted ``webhook-id``, so a replayed delivery gets the same answer."""

    __tablename__ = "webhook_receipts"

    agency: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    webhook_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    response: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


outbox, inbox = messaging_tables(Base.metadata)
