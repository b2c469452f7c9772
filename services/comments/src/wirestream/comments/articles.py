"""Which articles take comments: publish opens them, kills and moderators close them."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Literal, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import ArticleKilled, ArticlePublished, ArticleUnpublished, Event
from wirestream.common.outbox import Transaction
from wirestream.common.streams import GROUP_COMMENTS

from .errors import ArticleNotOpen
from .models import KnownArticle

Mode = Literal["pre", "post"]


async def track_articles(tx: Transaction, events: list[Event], *, now: datetime) -> None:
    """Follow publish and kills: a published article opens for comments, an unpublished
    or killed one closes, and a kill is remembered even for an article not seen yet.

    Each change is one upsert on the article's row, so a kill and a publication
    of the same article handled at the same moment (they come on different
    streams) serialize on its primary key: whichever commits second sees the
    other's row, and the article ends closed.
    """
    published: list[ArticlePublished] = []  # a run of them goes in one executemany
    for event in await tx.fresh(GROUP_COMMENTS, events):
        if isinstance(event, ArticlePublished):
            published.append(event)
            continue
        await _published(tx.session, published, now=now)
        published = []
        if isinstance(event, ArticleUnpublished):
            await tx.session.execute(
                sa.update(KnownArticle).where(KnownArticle.article_id == event.article_id)
                .values(open=False, updated_at=now))
        elif isinstance(event, ArticleKilled):
            await _killed(tx.session, event, now=now)
    await _published(tx.session, published, now=now)


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def _published(session: AsyncSession, events: list[ArticlePublished], *,
                     now: datetime) -> None:
    """Open (or update) each article unless a kill covers its version: only a strictly
    higher version comes back after a kill (``wirestream.common.kills.outlives_kill``)."""
    if not events:
        return
    await session.execute(_publish_upsert(session.get_bind().dialect.name), [
        {"article_id": e.article_id, "url": e.url, "updated_at": now, "language": e.language,
         "version": e.version} for e in events])


@lru_cache(maxsize=4)
def _publish_upsert(dialect: str) -> Any:
    """The upsert for one publication, built once per dialect with bound values (built
    per event, it cost more than the rest of the handler)."""
    a = KnownArticle.__table__.c
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(KnownArticle).values(
        article_id=sa.bindparam("article_id"), url=sa.bindparam("url"), open=True,
        updated_at=sa.bindparam("updated_at"), language=sa.bindparam("language"),
        closed=False, version=sa.bindparam("version"))
    new = stmt.excluded
    return stmt.on_conflict_do_update(index_elements=[a.article_id], set_={
        "url": new.url, "language": new.language, "updated_at": new.updated_at,
        "version": sa.case((a.version.is_(None) | (new.version > a.version), new.version),
                           else_=a.version),
        "open": sa.case((a.killed_version.is_(None) | (new.version > a.killed_version),
                         sa.true()), else_=sa.false()),
    })


async def _killed(session: AsyncSession, event: ArticleKilled, *, now: datetime) -> None:
    """Close the article and remember the kill; a tombstone row if it is not known yet.

    The kill covers its own version or the one we had, whichever is higher, and
    a tombstone is only ever raised.
    """
    a = KnownArticle.__table__.c
    stmt = _insert(session)(KnownArticle).values(
        article_id=event.article_id, url="", open=False, updated_at=now, language=None,
        closed=False, killed_version=event.version)
    new = stmt.excluded
    covered = sa.case((sa.func.coalesce(a.version, 0) > new.killed_version, a.version),
                      else_=new.killed_version)
    stmt = stmt.on_conflict_do_update(index_elements=[a.article_id], set_={
        "open": sa.false(), "updated_at": new.updated_at,
        "killed_version": sa.case((sa.func.coalesce(a.killed_version, 0) > covered,
                                   a.killed_version), else_=covered),
    })
    await session.execute(stmt)


async def live_article(session: AsyncSession, article_id: str) -> KnownArticle:
    """The article if publish has it live (closed ones included: moderation refuses those)."""
    article = await session.get(KnownArticle, article_id)
    if article is None or not article.open:
        raise ArticleNotOpen(article_id)
    return article


class HasMode(Protocol):
    """An article's row or ORM object: what :func:`premoderated` reads."""

    @property
    def moderation_mode(self) -> str | None: ...


def premoderated(article: HasMode, *, default: bool) -> bool:
    """Whether comments on ``article`` wait for a moderator (its own mode, else the default)."""
    if article.moderation_mode is None:
        return default
    return article.moderation_mode == "pre"


async def configure(session: AsyncSession, article_id: str, *,
                    mode: Mode | Literal["default"] | None, closed: bool | None,
                    now: datetime) -> KnownArticle:
    """Set the article's moderation mode ("default": follow the global setting) and/or
    close it; a None argument leaves that setting as it is."""
    article = await live_article(session, article_id)
    if mode is not None:
        article.moderation_mode = None if mode == "default" else mode
    if closed is not None:
        article.closed = closed
    article.updated_at = now
    return article
