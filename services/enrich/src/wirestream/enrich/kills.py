"""Kills remembered per article, for articles enrich has not seen yet too.

Redis Streams redeliver a failed entry after newer ones, and agencies reorder,
so an ``ArticleKilled`` can arrive before the item it kills. A kill leaves a
tombstone; versions it covers are acknowledged and dropped when they come, and
only a strictly higher usable version (the agency's own un-kill, as ingest
treats it) brings the article back. Tombstones are never deleted: versions they
cover stay dead however late they are delivered.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .models import KilledArticle


async def load(session: AsyncSession, ids: Collection[str]) -> dict[str, KilledArticle]:
    """The tombstones of ``ids``, by article id (one query for a batch)."""
    if not ids:
        return {}
    rows = await session.scalars(
        sa.select(KilledArticle).where(KilledArticle.article_id.in_(ids)))
    return {r.article_id: r for r in rows}


def record(session: AsyncSession, kills: dict[str, KilledArticle], article_id: str, *,
           version: int, now: datetime) -> None:
    """Remember that ``article_id`` is dead up to ``version`` (never lowering it)."""
    tomb = kills.get(article_id)
    if tomb is None:
        kills[article_id] = KilledArticle(article_id=article_id, version=version, killed_at=now)
        session.add(kills[article_id])
    elif version > tomb.version:
        tomb.version, tomb.killed_at = version, now
