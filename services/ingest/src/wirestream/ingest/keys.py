"""The signing keys of active agencies, read from the database at most every few seconds."""

from __future__ import annotations

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
    ``ttl_s``.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, ttl_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sessions = sessions
        self.ttl_s = ttl_s
        self.clock = clock
        self._entries: dict[str, tuple[float, AgencyKeys | None]] = {}

    async def get(self, name: str) -> AgencyKeys | None:
        """The keys of agency ``name``, or ``None`` if it is unknown or disabled."""
        now = self.clock()
        cached = self._entries.get(name)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        async with self.sessions() as session:
            row = await session.get(Agency, name)
        keys = None if row is None or row.disabled else AgencyKeys(
            row.name, tuple(row.secrets), row.default_language)
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[name] = (now, keys)
        return keys

    def forget(self, name: str) -> None:
        self._entries.pop(name, None)
