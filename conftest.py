"""Fixtures shared by every test tier: a private redis-server and the databases.

Each test session starts its own ``redis-server`` on a free port (never a
shared instance). Database tests run on SQLite and, when it is reachable, on
PostgreSQL (``WIRESTREAM_TEST_POSTGRES_URL``, default the local server's
``test`` database); ``WIRESTREAM_REQUIRE_POSTGRES=1`` (set in CI) turns an
unreachable PostgreSQL into a failure instead of a skip.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from wirestream.common.redis_server import LocalRedis

PG_URL = os.environ.get(
    "WIRESTREAM_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[LocalRedis]:
    server = LocalRedis().start()
    yield server
    server.stop()


@pytest.fixture
async def redis_url(redis_server: LocalRedis) -> AsyncIterator[str]:
    """The session's redis-server, emptied before each test."""
    if redis_server.process is None or redis_server.process.poll() is not None:
        redis_server.start()
    client = aioredis.Redis.from_url(redis_server.url)
    await client.flushall()
    await client.aclose()
    yield redis_server.url


def _pg_available() -> bool:
    import asyncpg  # noqa: PLC0415

    async def probe() -> None:
        conn = await asyncpg.connect(_plain(PG_URL), timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
        return True
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    ok = _pg_available()
    if not ok and os.environ.get("WIRESTREAM_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL required but unreachable at {PG_URL}")
    return ok


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_available: bool
) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    if not postgres_available:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    import asyncpg  # noqa: PLC0415

    name = f"ws_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_plain(PG_URL))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    base, _, _ = PG_URL.rpartition("/")
    yield f"{base}/{name}"
    admin = await asyncpg.connect(_plain(PG_URL))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()
