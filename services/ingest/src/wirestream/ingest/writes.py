"""Ingest's write transactions: one at a time when the database is SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.outbox import OutboxRelay, Transaction

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def one_at_a_time(sessions: SessionFactory) -> SessionFactory:
    """``sessions``, but each session waits for the previous one to close.

    SQLite lets one transaction write at a time; the others spin in its busy
    handler, sleeping up to 100 ms between tries, so under load most of the
    time went to sleeping. Queueing on an asyncio lock hands the database over
    the moment it is free. Never open a second session while holding one.
    """
    lock = asyncio.Lock()

    @asynccontextmanager
    async def serialised() -> AsyncIterator[AsyncSession]:
        async with lock, sessions() as session:
            yield session

    return serialised


class Writes:
    """Units of work on the outbox relay, whose sessions are serialised on SQLite.

    The relay's own batches use the same sessions, so its writes queue with
    ours instead of contending for SQLite's lock.
    """

    def __init__(self, relay: OutboxRelay, *, single_writer: bool) -> None:
        self.relay = relay
        if single_writer:
            relay.sessions = one_at_a_time(relay.sessions)  # type: ignore[assignment]

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        return self.relay.transaction()
