"""The taxonomy in enrich's database: seeded with the starter set, edited by the
newsroom (CLI or admin API), read into a matcher.

Every change bumps the ``taxonomy`` counter in the same transaction, which is
how running enrichers (this replica or others) know to reload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Concept as ConceptRow
from .models import Counter
from .text.starter import load_starter_taxonomy
from .text.taxonomy import Concept, merge_concepts, parse_csv, parse_iptc_skos_jsonld

TAXONOMY_COUNTER = "taxonomy"
ImportFormat = Literal["csv", "jsonld"]


def _row(c: Concept, now: datetime) -> dict[str, object]:
    return {"id": c.id, "kind": c.kind, "labels": c.labels, "aliases": c.aliases,
            "iptc_uri": c.iptc_uri, "updated_at": now}


def _concept(r: ConceptRow) -> Concept:
    return Concept(id=r.id, kind=r.kind, labels=r.labels, aliases=r.aliases,  # type: ignore[arg-type]
                   iptc_uri=r.iptc_uri)


async def bump_version(session: AsyncSession) -> None:
    """Record that the taxonomy changed (every writer calls this in its transaction)."""
    updated = await session.execute(sa.update(Counter).where(Counter.name == TAXONOMY_COUNTER)
                                    .values(value=Counter.value + 1))
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Counter(name=TAXONOMY_COUNTER, value=1))


async def taxonomy_version(session: AsyncSession) -> int:
    value = await session.scalar(sa.select(Counter.value)
                                 .where(Counter.name == TAXONOMY_COUNTER))
    return int(value or 0)


async def upsert_concepts(session: AsyncSession, concepts: Iterable[Concept], *,
                          now: datetime, merge: bool = False) -> int:
    """Insert concepts, or change those with the same id; returns how many were written.

    ``merge`` keeps what the newsroom already has: labels of other languages
    and aliases stay (an IPTC import does not wipe the Arabic cue words).
    """
    concepts = list(concepts)
    ids = [c.id for c in concepts]
    existing: dict[str, ConceptRow] = {}
    for i in range(0, len(ids), 500):
        rows = await session.scalars(sa.select(ConceptRow).where(ConceptRow.id.in_(ids[i:i + 500])))
        existing.update((r.id, r) for r in rows)
    for c in concepts:
        row = existing.get(c.id)
        if row is None:
            row = ConceptRow(**_row(c, now))
            session.add(row)
            existing[c.id] = row
            continue
        if merge:
            c = merge_concepts([_concept(row), c])[0]
        row.kind, row.labels, row.aliases, row.iptc_uri, row.updated_at = (
            c.kind, c.labels, c.aliases, c.iptc_uri, now)
    if concepts:
        await bump_version(session)
    return len(concepts)


def parse_import(text: str, fmt: ImportFormat) -> list[Concept]:
    """Concepts from CSV (``id,kind,lang,label,aliases[,iptc_uri]``) or IPTC SKOS JSON-LD."""
    if fmt == "csv":
        return parse_csv(text)
    return parse_iptc_skos_jsonld(json.loads(text))


async def seed_if_empty(session: AsyncSession, *, now: datetime) -> int:
    """Load the starter taxonomy into an empty table (a newsroom's edits are never overwritten)."""
    if await session.scalar(sa.select(sa.func.count()).select_from(ConceptRow)):
        return 0
    concepts = load_starter_taxonomy()
    session.add_all(ConceptRow(**_row(c, now)) for c in concepts)
    return len(concepts)


async def load_concepts(session: AsyncSession) -> list[Concept]:
    rows = (await session.scalars(sa.select(ConceptRow).order_by(ConceptRow.id))).all()
    return [_concept(r) for r in rows]


async def list_concepts(session: AsyncSession, *, kind: str | None = None,
                        search: str | None = None, limit: int | None = None) -> list[Concept]:
    """Concepts by id, optionally of one kind and with ``search`` in the id or a label."""
    query = sa.select(ConceptRow).order_by(ConceptRow.id)
    if kind:
        query = query.where(ConceptRow.kind == kind)
    concepts = [_concept(r) for r in await session.scalars(query)]
    if search:
        needle = search.casefold()
        concepts = [c for c in concepts if needle in c.id.casefold()
                    or any(needle in label.casefold() for label in c.labels.values())]
    return concepts[:limit] if limit else concepts
