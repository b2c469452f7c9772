"""The tables the comments service owns."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class KnownArticle(Base):
    """Articles publish announced; comments are accepted only on live ones."""

    __tablename__ = "articles"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    open: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        sa.Index("ix_comments_article_created", "article_id", "created_at", "comment_id"),
    )

    comment_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    article_id: Mapped[str] = mapped_column(sa.String(32))
    parent_id: Mapped[str | None] = mapped_column(sa.String(64))
    author: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


outbox, inbox = messaging_tables(Base.metadata)
