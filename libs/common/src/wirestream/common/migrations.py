"""Alembic, per service: each service keeps its own ``migrations/`` and tables.

``upgrade`` runs at start-up (``WIRESTREAM_RUN_MIGRATIONS``) and from
``wirestream migrate``; ``run_env`` is the body of every service's ``env.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from .db import create_engine, session_factory


def alembic_config(database_url: str, script_location: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, script_location: Path, revision: str = "heads") -> None:
    """Bring the database at ``database_url`` up to ``revision`` (blocking; run in a thread).

    ``heads``: a service may keep independent branches (one per sub-package).
    """
    command.upgrade(alembic_config(database_url, script_location), revision)


def run_env(context: Any, metadata: sa.MetaData) -> None:
    """Run migrations offline (SQL script) or online (async engine) for ``metadata``."""
    url = context.config.get_main_option("sqlalchemy.url")
    opts = {"target_metadata": metadata, "render_as_batch": url.startswith("sqlite"),
            "compare_type": True}
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: sa.Connection) -> None:
        context.configure(connection=connection, **opts)
        with context.begin_transaction():
            context.run_migrations()

    async def online() -> None:
        engine = create_async_engine(url, poolclass=sa.pool.NullPool)
        async with engine.connect() as conn:
            await conn.run_sync(migrate)
            await conn.commit()
        await engine.dispose()

    asyncio.run(online())


@asynccontextmanager
async def migrated_sessions(database_url: str,
                            migrations: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on ``database_url`` once a service's migrations are applied (no app, no
    bus: tools and tests); the engine is disposed on exit."""
    await asyncio.to_thread(upgrade, database_url, migrations)
    engine = create_engine(database_url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()
