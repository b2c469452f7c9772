"""Small SQL helpers the comment rules share."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_once(session: AsyncSession, model: type[Any], values: dict[str, Any]) -> bool:
    """Insert a row unless its key already exists; True when this call inserted it.

    ``INSERT ... ON CONFLICT DO NOTHING`` rather than check-then-insert, so two
    concurrent requests (a double click) cannot both pass the check and then
    fail on the unique constraint.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(insert(model).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)  # type: ignore[attr-defined]
