"""The signing keys of active agencies, read from the database at most every few seconds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import Agency

MAX_ENTRIES = 10_000  # unknown names are remembered too; bound what a flood of them costs


@dataclass(frozen=True)
class AgencyKeys:
    """What receiving a delivery needs to know about its agency."""

    name: str
    secrets: tuple[str, ...]
    default_language: str | None


class AgencyKeyCache:
    """Active agencies' keys; an entry is re-read once it is ``ttl_s`` old.

    Every webhook needs its agency's secrets; reading them once per request was
    a database round trip per delivery. Changes made through this process's
    admin API are seen at once (:meth:`forget`); other replicas see them within
    ``ttl_s``. When an entry expires under load, one read refreshes it and the
    concurrent deliveries of that agency wait for that read instead of each
    making their own.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, ttl_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sessions = sessions
        self.ttl_s = ttl_s
        self.clock = clock
        self._entries: dict[str, tuple[float, AgencyKeys | None]] = {}
        self._reading: dict[str, asyncio.Task[AgencyKeys | None]] = {}

    async def get(self, name: str) -> AgencyKeys | None:
        """The keys of agency ``name``, or ``None`` if it is unknown or disabled."""
        now = self.clock()
        cached = self._entries.get(name)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        reading = self._reading.get(name)
        if reading is None:
            reading = asyncio.ensure_future(self._read(name, now))
            self._reading[name] = reading
        # Shielded: one waiter giving up does not cancel the read the others share.
        return await asyncio.shield(reading)

    async def _read(self, name: str, now: float) -> AgencyKeys | None:
        try:
            async with self.sessions() as session:
                row = await session.get(Agency, name)
        finally:
            current = self._reading.get(name) is asyncio.current_task()
            if current:
                del self._reading[name]
        keys = None if row is None or row.disabled else AgencyKeys(
            row.name, tuple(row.secrets), row.default_language)
        if current:  # else forgotten meanwhile: the row may predate the change
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[name] = (now, keys)
        return keys

    def forget(self, name: str) -> None:
        self._entries.pop(name, None)
        self._reading.pop(name, None)
