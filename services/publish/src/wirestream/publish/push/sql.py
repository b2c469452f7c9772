"""``INSERT ... ON CONFLICT DO NOTHING`` on either database, and a row locked for update."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Base

_CHUNK = 500  # rows per INSERT, well under both databases' bind-parameter limits


async def insert_ignore(session: AsyncSession, model: type[Base],
                        rows: list[dict[str, Any]]) -> int:
    """Insert ``rows``, skipping those whose key exists; returns how many were added."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(sa.Table, model.__table__)
    added = 0
    for i in range(0, len(rows), _CHUNK):
        result = await session.execute(
            insert(table).values(rows[i:i + _CHUNK]).on_conflict_do_nothing())
        added += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    return added
