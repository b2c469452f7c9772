"""The push branch's migration creates exactly the push tables the models declare."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from wirestream.common.migrations import alembic_config, upgrade
from wirestream.publish.main import MIGRATIONS
from wirestream.publish.models import Base
from wirestream.publish.push import models  # noqa: F401 - registers the push tables


def test_push_is_its_own_branch() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://", MIGRATIONS))
    assert "push_0001" in script.get_heads()
    rev = script.get_revision("push_0001")
    assert rev is not None and rev.branch_labels == {"push"}


async def test_migration_matches_models(database_url: str) -> None:
    import asyncio

    await asyncio.to_thread(upgrade, database_url, MIGRATIONS)

    def diff(conn: sa.Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            changes = await conn.run_sync(diff)
    finally:
        await engine.dispose()
    assert [c for c in changes if "push_" in repr(c)] == []
