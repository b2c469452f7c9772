"""The taxonomy in enrich's database: seeded with the starter set, read into a matcher."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Concept as ConceptRow
from .text.starter import load_starter_taxonomy
from .text.taxonomy import Concept


def _row(c: Concept, now: datetime) -> dict[str, object]:
    return {"id": c.id, "kind": c.kind, "labels": c.labels, "aliases": c.aliases,
            "iptc_uri": c.iptc_uri, "updated_at": now}


async def upsert_concepts(session: AsyncSession, concepts: Iterable[Concept], *,
                          now: datetime) -> int:
    """Insert or replace concepts by id; returns how many were written."""
    n = 0
    for c in concepts:
        row = await session.get(ConceptRow, c.id)
        if row is None:
            session.add(ConceptRow(**_row(c, now)))
        else:
            row.kind, row.labels, row.aliases, row.iptc_uri, row.updated_at = (
                c.kind, c.labels, c.aliases, c.iptc_uri, now)
        n += 1
    return n


async def seed_if_empty(session: AsyncSession, *, now: datetime) -> int:
    """Load the starter taxonomy into an empty table (a newsroom's edits are never overwritten)."""
    if await session.scalar(sa.select(sa.func.count()).select_from(ConceptRow)):
        return 0
    concepts = load_starter_taxonomy()
    session.add_all(ConceptRow(**_row(c, now)) for c in concepts)
    return len(concepts)


async def load_concepts(session: AsyncSession) -> list[Concept]:
    rows = (await session.scalars(sa.select(ConceptRow).order_by(ConceptRow.id))).all()
    return [Concept(id=r.id, kind=r.kind, labels=r.labels, aliases=r.aliases,  # type: ignore[arg-type]
                    iptc_uri=r.iptc_uri) for r in rows]
