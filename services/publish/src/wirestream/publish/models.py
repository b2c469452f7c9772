"""The tables publish owns: live articles and what hangs off them, rendered pages, dirty keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata
from wirestream.common.kills import Tombstone


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
    # Section slug, for section pages.
    section: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    # What a list, feed or sitemap shows of the article (so lists never parse ``data``).
    card: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # Set on a translation: the article it translates, and the engine if a machine did it.
    source_article_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    source_language: Mapped[str | None] = mapped_column(sa.String(16))
    mt_engine: Mapped[str | None] = mapped_column(sa.String(100))


class KilledArticle(Tombstone, Base):
    """A kill, kept even for an article publish has not seen (a kill can overtake its item)."""

    __tablename__ = "kills"


class ArticleTag(Base):
    """Which (non-keyword) tags a live article carries, for tag pages and related articles."""

    __tablename__ = "article_tags"
    # "The latest live articles with this tag in this language" (related articles) walks
    # this index and stops after a few rows, however large the archive.
    __table_args__ = (sa.Index("ix_article_tags_recent", "tag_id", "language", "published_at"),)

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    tag_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True, index=True)
    # The article's, copied here for that index (an article's published_at never changes;
    # its language is written again with its tags whenever it is stored).
    language: Mapped[str | None] = mapped_column(sa.String(16))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class TagLabel(Base):
    """A tag's kind and labels, as the newest article carrying it had them."""

    __tablename__ = "tags"

    tag_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    labels: Mapped[dict[str, str]] = mapped_column(sa.JSON)


class Story(Base):
    """A story as enrich last announced it (StoryChanged)."""

    __tablename__ = "stories"

    story_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    article_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    sources: Mapped[list[str]] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class ArticleLink(Base):
    """Article ``page_id``'s page shows article ``linked_id`` (related, story, translation),
    so a change to ``linked_id`` re-renders that page."""

    __tablename__ = "article_links"

    page_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    linked_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, index=True)


class Page(Base):
    """A rendered page, served as is with ETag / Last-Modified."""

    __tablename__ = "pages"

    path: Mapped[str] = mapped_column(sa.String(500), primary_key=True)
    status: Mapped[int] = mapped_column(default=200)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    body: Mapped[str] = mapped_column(sa.Text)
    etag: Mapped[str] = mapped_column(sa.String(80))
    last_modified: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The generation of its dirty key this page was rendered from: an older render
    # (another replica, slower) never overwrites a newer one.
    seq: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


class DirtyKey(Base):
    """A group of pages (an article page, a list page with its feeds, the sitemap) to render.

    ``seq`` counts changes, ``built_seq`` the change the stored pages show; the key
    is dirty while ``seq > built_seq``. ``lease_until`` keeps two builders off one key.
    """

    __tablename__ = "dirty_pages"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    built_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    marked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


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
    featured: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # When the event this row reflects happened; an older one delivered late is dropped.
    as_of: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ShownPoll(Base):
    """A poll's current results (PollUpdated); ``as_of`` drops out-of-order updates."""

    __tablename__ = "polls"

    poll_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    article_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    question: Mapped[str] = mapped_column(sa.Text)
    options: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    closes_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed: Mapped[bool] = mapped_column(default=False)
    as_of: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


outbox, inbox = messaging_tables(Base.metadata)
