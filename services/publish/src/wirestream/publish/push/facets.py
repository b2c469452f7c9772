"""Article facets (tags, IPTC topics, section, story, urgency) for filtering, and the
published events that wait for them.

``ArticlePublished`` and the ``ArticleEnriched`` it came from arrive on two
streams, in either order: a published event whose facets have not arrived yet
is parked on the article's row and fanned out when they do (or after
``push_facets_wait_s``, with what is known).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import Article, ArticlePublished, Tag

from .matching import Facets
from .models import ArticleFacets
from .sql import insert_ignore

_MEDTOP_URI = "cv.iptc.org/newscodes/mediatopic/"
_CHUNK = 500  # ids per SELECT, well under both databases' bind-parameter limits


def iptc_codes(article: Article, tags: Iterable[Tag]) -> list[str]:
    """IPTC Media Topic qcodes from enrich's tags, plus the agency's own subject codes."""
    codes = {t.id for t in tags if t.id.startswith("medtop:")}
    for s in article.subjects:
        if s.uri and _MEDTOP_URI in s.uri:
            codes.add("medtop:" + s.uri.rstrip("/").rsplit("/", 1)[-1])
        if s.code:
            codes.add(s.code)
    return sorted(codes)


def as_facets(row: ArticleFacets | None) -> Facets:
    if row is None:
        return Facets()
    return Facets(
        languages=frozenset([row.language] if row.language else []),
        sections=frozenset([row.section] if row.section else []),
        stories=frozenset([row.story_id] if row.story_id else []),
        tags=frozenset(row.tags), iptc=frozenset(row.iptc), urgency=row.urgency)


class Locked:
    """The facets rows of a batch's articles, created where missing and locked for the
    transaction: both streams' handlers write them. A batch's rows are taken with one
    INSERT and one SELECT, in article id order (so concurrent handlers lock alike)."""

    def __init__(self, session: AsyncSession, *, now: datetime) -> None:
        self.session = session
        self.now = now
        self.rows: dict[str, ArticleFacets] = {}

    async def load(self, article_ids: Iterable[str]) -> None:
        ids = sorted(set(article_ids) - self.rows.keys())
        if not ids:
            return
        await insert_ignore(self.session, ArticleFacets, [{
            "article_id": i, "version": 0, "tags": [], "iptc": [], "waiting": [],
            "updated_at": self.now} for i in ids])
        for start in range(0, len(ids), _CHUNK):
            for row in (await self.session.scalars(
                    sa.select(ArticleFacets)
                    .where(ArticleFacets.article_id.in_(ids[start:start + _CHUNK]))
                    .order_by(ArticleFacets.article_id).with_for_update()
                    .execution_options(populate_existing=True))).all():
                self.rows[row.article_id] = row

    async def get(self, article_id: str) -> ArticleFacets:
        if article_id not in self.rows:
            await self.load([article_id])
        return self.rows[article_id]


async def store(locked: Locked, article: Article, *, language: str,
                tags: Iterable[Tag], story_id: str | None,
                now: datetime) -> tuple[ArticleFacets | None, list[ArticlePublished]]:
    """Record an article version's facets; returns its row and the events now released."""
    tags = list(tags)
    row = await locked.get(article.article_id)
    if row.version >= article.version:
        return None, []
    row.version, row.language, row.section = article.version, language, article.section
    row.story_id, row.urgency, row.updated_at = story_id, article.urgency, now
    row.tags = sorted({t.id for t in tags})
    row.iptc = iptc_codes(article, tags)
    ready = [e for e in _waiting(row) if e.version <= row.version]
    keep = [e.model_dump(mode="json") for e in _waiting(row) if e.version > row.version]
    row.waiting, row.waiting_since = keep, row.waiting_since if keep else None
    return row, ready


async def ready_or_park(locked: Locked, event: ArticlePublished, *,
                        now: datetime) -> ArticleFacets | None:
    """The facets row if it covers ``event``'s version; otherwise park ``event`` on it."""
    row = await locked.get(event.article_id)
    if row.version >= event.version:
        return row
    row.waiting = [*row.waiting, event.model_dump(mode="json")]
    row.waiting_since = row.waiting_since or now
    return None


async def overdue(session: AsyncSession, *, before: datetime,
                  limit: int = 100) -> list[tuple[ArticleFacets, list[ArticlePublished]]]:
    """Parked events that waited too long: released with whatever facets are known."""
    rows = (await session.scalars(
        sa.select(ArticleFacets).where(ArticleFacets.waiting_since < before)
        .order_by(ArticleFacets.waiting_since).limit(limit))).all()
    out = []
    for row in rows:
        out.append((row, _waiting(row)))
        row.waiting, row.waiting_since = [], None
    return out


async def for_articles(session: AsyncSession, article_ids: Iterable[str]) -> list[ArticleFacets]:
    ids = list(article_ids)
    if not ids:
        return []
    return list((await session.scalars(
        sa.select(ArticleFacets).where(ArticleFacets.article_id.in_(ids)))).all())


def _waiting(row: ArticleFacets) -> list[ArticlePublished]:
    items: list[dict[str, Any]] = row.waiting or []
    return [ArticlePublished.model_validate(e) for e in items]
