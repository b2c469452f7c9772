"""The tables publish owns: live articles, rendered pages, and the comments shown on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


class PublishedArticle(Base):
    __tablename__ = "articles"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    version: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(sa.String(16), index=True)
    headline: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str] = mapped_column(sa.String(500))
    # "live" or "killed" (a killed article's page answers 410 Gone).
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    urgency: Mapped[int | None] = mapped_column()
    story_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    # The ArticleEnriched event, as JSON: what the page is rendered from.
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class Page(Base):
    """A rendered page, served as is with ETag / Last-Modified."""

    __tablename__ = "pages"

    path: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    status: Mapped[int] = mapped_column(default=200)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    body: Mapped[str] = mapped_column(sa.Text)
    etag: Mapped[str] = mapped_column(sa.String(80))
    last_modified: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class ShownComment(Base):
    """A comment as the comments service announced it; only approved ones are shown."""

    __tablename__ = "comments"

    comment_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    article_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    parent_id: Mapped[str | None] = mapped_column(sa.String(64))
    author: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16))
    posted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


outbox, inbox = messaging_tables(Base.metadata)
