"""SQLite statements run on the event loop; a write that must wait for another
connection's lock waits in the connection's thread, without stalling the loop.

Real SQLite files in a temporary directory; the lock is held by a plain sqlite3
connection in another thread (as another process, or another session, would)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from wirestream.common import sqlite_inline
from wirestream.common.db import create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (v INTEGER)")
    yield engine
    await engine.dispose()


class Locker:
    """Holds the database's write lock from another thread until ``release``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (-1)")
        self.held.set()
        self._release.wait(30)
        conn.execute("COMMIT")
        conn.close()

    def __enter__(self) -> Locker:
        self._thread.start()
        assert self.held.wait(10)
        return self

    def release(self) -> None:
        self._release.set()
        self._thread.join(10)

    def __exit__(self, *_: object) -> None:
        self.release()


@pytest.fixture
def locker(tmp_path: Path) -> Iterator[Locker]:
    yield Locker(tmp_path / "inline.db")


async def values(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        return [r[0] for r in (await conn.exec_driver_sql("SELECT v FROM t ORDER BY v")).all()]


async def test_statements_run_inline_without_the_worker_thread(
        engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[object] = []
    original = sqlite_inline.InlineConnection._in_thread

    async def spy(self: sqlite_inline.InlineConnection, function: object) -> object:
        handed.append(function)
        return await original(self, function)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_inline.InlineConnection, "_in_thread", spy)
    for n in range(20):
        async with engine.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES (?)", (n,))
    assert await values(engine) == list(range(20))
    assert handed == []  # no lock to wait for: nothing went to the thread
    async with engine.connect() as conn:
        driver = conn.sync_connection.connection.dbapi_connection._connection  # type: ignore[union-attr]
        assert isinstance(driver, sqlite_inline.InlineConnection)
        # A lock wait inside a call would stall the loop: inline calls never wait.
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 0


async def test_a_write_that_must_wait_for_the_lock_waits_off_the_loop(
        engine: AsyncEngine, locker: Locker) -> None:
    with locker:
        writer = asyncio.create_task(_insert(engine, 7))
        ticks = 0
        while ticks < 20:  # the loop keeps running while the write waits
            await asyncio.sleep(0.01)
            ticks += 1
        assert not writer.done()  # still waiting for the lock, in the thread
        locker.release()
        await asyncio.wait_for(writer, 10)
    assert await values(engine) == [-1, 7]
    # The connection went back to running inline, with no busy timeout, once the wait ended.
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 0
    await _insert(engine, 8)
    assert await values(engine) == [-1, 7, 8]


async def test_a_caller_cancelled_while_waiting_leaves_nothing_behind(
        engine: AsyncEngine, locker: Locker) -> None:
    with locker:
        writer = asyncio.create_task(_insert(engine, 5))
        await asyncio.sleep(0.2)
        writer.cancel()
        await asyncio.sleep(0.05)  # its clean-up (a rollback) now queues behind the insert
        locker.release()
        with pytest.raises(asyncio.CancelledError):
            await writer
    # The cancelled transaction never committed; the engine works on.
    await _insert(engine, 6)
    assert await values(engine) == [-1, 6]


async def test_a_lock_held_past_the_busy_timeout_is_still_an_error(
        engine: AsyncEngine, locker: Locker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_TIMEOUT_MS", 100)
    with locker, pytest.raises(OperationalError, match="locked"):
        await _insert(engine, 1)
    assert await values(engine) == [-1]


async def test_the_thread_per_call_driver_can_be_chosen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_SQLITE_THREAD", "1")
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'thread.db'}")
    try:
        async with engine.connect() as conn:
            driver = conn.sync_connection.connection.dbapi_connection._connection  # type: ignore[union-attr]
            assert type(driver) is aiosqlite.Connection
            assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 10_000
    finally:
        await engine.dispose()


async def _insert(engine: AsyncEngine, value: int) -> None:
    async with engine.begin() as conn:
        await conn.exec_driver_sql("INSERT INTO t VALUES (?)", (value,))
