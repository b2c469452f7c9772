"""Kills remembered per article, for articles not seen yet too; every service agrees.

Redis Streams redeliver a failed entry after newer ones, and agencies reorder,
so an ``ArticleKilled`` can arrive before the item it kills. Each service that
handles kills keeps a tombstone table (its own, from :class:`Tombstone`): the
versions a tombstone covers are acknowledged and dropped whenever they come,
and only a strictly higher usable version brings the article back, as ingest
does. Tombstones are never deleted, so a late copy of a covered version stays
dead even after the article came back.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from .events import Article


def outlives_kill(article: Article, killed_version: int) -> bool:
    """Whether ``article`` brings back an item killed at ``killed_version``.

    Ingest puts a killed item live again when the agency sends a strictly higher
    version with ``pub_status`` usable (its ``ArticleUpdated`` follows the
    ``ArticleKilled``). Anything else stays dead: the killed version, an older one
    delivered late (a kill can overtake its item), or one withheld or canceled.
    """
    return article.version > killed_version and article.pub_status == "usable"


class Tombstone:
    """Columns of a service's ``kills`` table (mix into a model with the service's Base).

    ``version`` is the highest version the kill covers: the kill's own, or the
    version the service had stored when the kill came, whichever is higher.
    """

    article_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    version: Mapped[int] = mapped_column()
    killed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


T = TypeVar("T", bound=Tombstone)


async def load_tombstones(session: AsyncSession, model: type[T],
                          ids: Collection[str]) -> dict[str, T]:
    """The tombstones of ``ids``, by article id (one query for a batch)."""
    if not ids:
        return {}
    rows = await session.scalars(sa.select(model).where(model.article_id.in_(ids)))
    return {r.article_id: r for r in rows}


def record_kill(session: AsyncSession, tombs: dict[str, T], model: type[T], article_id: str,
                *, version: int, now: datetime) -> None:
    """Remember in ``tombs`` (and ``session``) that ``article_id`` is dead up to ``version``;
    an existing tombstone is only ever raised."""
    tomb = tombs.get(article_id)
    if tomb is None:
        tomb = tombs[article_id] = model()
        tomb.article_id, tomb.version, tomb.killed_at = article_id, version, now
        session.add(tomb)
    elif version > tomb.version:
        tomb.version, tomb.killed_at = version, now
