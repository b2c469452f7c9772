"""The tables enrich owns: its taxonomy and what it concluded about each article."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wirestream.common.db import messaging_tables, new_metadata


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


outbox, inbox = messaging_tables(Base.metadata)
