"""SQLite statements run on the event loop, handed to a thread only to wait for a lock.

aiosqlite runs every call (each execute, fetch, commit) in the connection's
worker thread: a queue put, two thread switches, a wake-up of the event loop
through its self-pipe and the GIL handed back and forth. Measured under load
that hop cost ~0.2-0.3 ms of CPU per statement, more than most statements
themselves, and it was the largest single cost of ingest, publish and comments.

Here a call runs inline, on the event loop, with SQLite's busy timeout at 0:
in WAL mode readers never wait, and a writer only waits when another
connection holds the write lock. Such a call fails at once with
``SQLITE_BUSY`` having changed nothing (a statement that cannot take the lock
has no effect), and is then run again in the worker thread with the full busy
timeout, so a lock held by another connection, of this process or another,
never stalls the loop. Once a call waits in the thread, the connection's
following calls queue behind it there, so the sqlite3 connection is never used
from two threads at once. ``WIRESTREAM_SQLITE_THREAD=1`` goes back to
aiosqlite's thread for every call.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 10_000  # how long a call waits for another connection's write lock


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(exc)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run on the event loop unless they must wait."""

    _waiting: asyncio.Future[Any] | None = None

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        if self._waiting is None or self._waiting.done():
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
        return await self._in_thread(partial(self._patiently, fn, args, kwargs))

    async def _in_thread(self, function: Callable[[], Any]) -> Any:
        future = asyncio.get_running_loop().create_future()
        self._tx.put_nowait((future, function))
        self._waiting = future
        # Shielded: if the caller is cancelled the call still finishes in the thread,
        # and calls made meanwhile (a rollback) queue behind it instead of running inline.
        return await asyncio.shield(future)

    def _patiently(self, fn: Callable[..., Any], args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> Any:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        try:
            return fn(*args, **kwargs)
        finally:
            conn.execute("PRAGMA busy_timeout=0")


def connect(database: str, **kwargs: Any) -> InlineConnection:
    """What SQLAlchemy's aiosqlite dialect calls (``async_creator_fn``) to open a connection."""
    # The sqlite3 connection is used from the loop's thread and, to wait, the worker's.
    kwargs["check_same_thread"] = False
    connection = InlineConnection(partial(sqlite3.connect, database, **kwargs),
                                  iter_chunk_size=64)
    connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own connections
    return connection


def busy_timeout_ms(dbapi_connection: Any) -> int:
    """The busy timeout a new connection gets: 0 when its calls run inline."""
    driver = getattr(dbapi_connection, "_connection", None)
    return 0 if isinstance(driver, InlineConnection) else BUSY_TIMEOUT_MS
