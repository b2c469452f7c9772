"""The tables the comments service owns.

Every timestamp is UTC. SQLite hands datetimes back without a zone, so code
that compares or prints them goes through :func:`utc`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata

_BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The largest values the columns hold (PostgreSQL INTEGER and BIGINT; SQLite's
# INTEGER is 64-bit): parameters compared with a column are bounded to these,
# so an out-of-range value is a 4xx, never a driver overflow.
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (SQLite returns naive ones)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = new_metadata()


class KnownArticle(Base):
    """Articles publish announced; comments are accepted only on live, unclosed ones."""

    __tablename__ = "articles"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    open: Mapped[bool] = mapped_column(default=True)  # live on the site
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    moderation_mode: Mapped[str | None] = mapped_column(sa.String(8))  # pre | post | None
    version: Mapped[int | None] = mapped_column()  # the latest version publish announced
    # A tombstone: the highest version an ArticleKilled covers. The row exists from
    # the kill on, even when the kill came before the article, so a late (or
    # redelivered) ArticlePublished of a covered version cannot reopen it.
    killed_version: Mapped[int | None] = mapped_column()


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        # Keyset pagination: each sort order walks one index.
        sa.Index("ix_comments_listing", "article_id", "status", "created_at", "comment_id"),
        sa.Index("ix_comments_reacted", "article_id", "status", "reactions_total",
                 "created_at", "comment_id"),
        sa.Index("ix_comments_author", "author_id", "created_at"),
        sa.Index("ix_comments_queue", "status", "created_at"),
        sa.Index("ix_comments_reported", "reports_open", "created_at"),
    )

    comment_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    article_id: Mapped[str] = mapped_column(sa.String(32))
    parent_id: Mapped[str | None] = mapped_column(sa.String(64))
    author_id: Mapped[str] = mapped_column(sa.String(80), server_default="")
    author: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)  # as the reader typed it; rendered on output
    status: Mapped[str] = mapped_column(sa.String(16))  # approved|pending|rejected|deleted
    reason: Mapped[str | None] = mapped_column(sa.String(500))  # a code, or a moderator's words
    featured: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    reactions_total: Mapped[int] = mapped_column(default=0, server_default="0")
    reports_open: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    edited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Reader(Base):
    """Someone who comments: a token holder, a site login, or an anonymous name at an IP."""

    __tablename__ = "readers"

    reader_id: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(16))  # token | jwt | anonymous
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    suspended_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Reaction(Base):
    __tablename__ = "reactions"

    comment_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    reader_id: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("comment_id", "reader_id"),)

    report_id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    comment_id: Mapped[str] = mapped_column(sa.String(64))
    reader_id: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str] = mapped_column(sa.String(32))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ApiKey(Base):
    """A moderator's or admin's key; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(sa.String(16))  # moderator | admin
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class AuditEntry(Base):
    """One staff action; rows are only ever added."""

    __tablename__ = "audit_log"

    audit_id: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(sa.String(16))
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    detail: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


class Poll(Base):
    __tablename__ = "polls"
    __table_args__ = (sa.Index("ix_polls_article", "article_id", "created_at"),)

    poll_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    article_id: Mapped[str] = mapped_column(sa.String(32))
    question: Mapped[str] = mapped_column(sa.String(300))
    options: Mapped[list[str]] = mapped_column(sa.JSON)
    closes_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # Votes not yet announced in a PollUpdated (raised with each vote, lowered by the
    # announcer by what it announced), and whether its closing has been announced.
    unannounced: Mapped[int] = mapped_column(default=0, server_default="0")
    announced_closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class PollVote(Base):
    __tablename__ = "poll_votes"

    poll_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    voter_key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    option: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


outbox, inbox = messaging_tables(Base.metadata)
