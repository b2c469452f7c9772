"""The tables enrich owns: its taxonomy, what it concluded about each article, its
stories and its translation jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata
from wirestream.common.kills import Tombstone

_BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = new_metadata()


class Concept(Base):
    """A person, organisation, place or topic the newsroom tags with."""

    __tablename__ = "concepts"

    id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    labels: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    aliases: Mapped[dict[str, list[str]]] = mapped_column(sa.JSON)
    iptc_uri: Mapped[str | None] = mapped_column(sa.String(300))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class EnrichedArticle(Base):
    __tablename__ = "articles"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    version: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(sa.String(16))
    tags: Mapped[list[dict[str, object]]] = mapped_column(sa.JSON)
    story_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    killed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The most related other articles when this version was enriched, closest first.
    related: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")


class KilledArticle(Tombstone, Base):
    """A kill, kept even for an article enrich has not seen (a kill can overtake its item)."""

    __tablename__ = "kills"


class Counter(Base):
    """Named counters: ``stories`` (last story change) and ``taxonomy`` (its version).

    Replicas lock the ``stories`` row while they assign stories, so two of them
    never put the same event in two new stories, and poll ``taxonomy`` to
    reload their matcher after a change made elsewhere.
    """

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    value: Mapped[int] = mapped_column(_BIGINT, default=0)


class Story(Base):
    """A story: what was last announced about it (``digest`` of its StoryChanged)."""

    __tablename__ = "stories"

    story_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    size: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class StoryMember(Base):
    """One article's place in a story, with what the clusterer needs to rebuild itself.

    ``seq`` orders every change (join, update, removal) so a replica can replay
    the changes other replicas made since it last looked.
    """

    __tablename__ = "story_members"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    story_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    agency: Mapped[str] = mapped_column(sa.String(100))
    language: Mapped[str] = mapped_column(sa.String(16))
    headline: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    tags: Mapped[list[str]] = mapped_column(sa.JSON)
    minhash: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    removed: Mapped[bool] = mapped_column(default=False)
    seq: Mapped[int] = mapped_column(_BIGINT, index=True)


class TranslationJob(Base):
    """One article version to translate into one language, and how that went."""

    __tablename__ = "translation_jobs"

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    version: Mapped[int] = mapped_column()
    source_language: Mapped[str] = mapped_column(sa.String(16))
    # pending -> done | failed | cancelled (a newer version makes it pending again)
    state: Mapped[str] = mapped_column(sa.String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    engine: Mapped[str | None] = mapped_column(sa.String(100))
    # The version whose translation went out last (it must be killed with the original).
    published_version: Mapped[int | None] = mapped_column()
    translation_id: Mapped[str] = mapped_column(sa.String(32))
    correlation_id: Mapped[str] = mapped_column(sa.String(64))
    article: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("ix_translation_jobs_due", "state", "next_attempt_at"),)


outbox, inbox = messaging_tables(Base.metadata)
