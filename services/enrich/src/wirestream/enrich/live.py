"""The enricher the handler uses, rebuilt when the taxonomy changes.

Whoever changes the taxonomy bumps its version in the database; a replica
notices on its next check (every ``taxonomy_check_s``) and the replica that
served an admin call reloads at once. Building the matcher is CPU work and
runs in a thread; the swap happens between batches, as a batch reads
:attr:`LiveEnricher.enricher` once when it starts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .taxonomy_store import load_concepts, seed_if_empty, taxonomy_version
from .text.pipeline import TextEnricher
from .text.taxonomy import Concept

log = logging.getLogger(__name__)


class LiveEnricher:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], *,
                 languages: Sequence[str], keyword_count: int = 8) -> None:
        self.sessions = sessions
        self.languages = list(languages)
        self.keyword_count = keyword_count
        self.version = -1
        self._enricher: TextEnricher | None = None
        self._lock = asyncio.Lock()

    @property
    def enricher(self) -> TextEnricher:
        if self._enricher is None:
            raise RuntimeError("the taxonomy is not loaded yet")
        return self._enricher

    async def load(self) -> None:
        """Seed an empty taxonomy and build the enricher (start-up)."""
        async with self.sessions() as session, session.begin():
            seeded = await seed_if_empty(session, now=datetime.now(UTC))
        await self.refresh(force=True)
        if seeded:
            log.info("starter taxonomy seeded", extra={"concepts": seeded})

    async def refresh(self, *, force: bool = False) -> bool:
        """Rebuild the matcher if the taxonomy version moved; True if it did."""
        async with self._lock:
            async with self.sessions() as session:
                version = await taxonomy_version(session)
                if version == self.version and not force:
                    return False
                concepts = await load_concepts(session)
            self._enricher = await asyncio.to_thread(self._build, concepts)
            self.version = version
        log.info("taxonomy loaded", extra={"concepts": len(concepts), "version": version})
        return True

    def _build(self, concepts: list[Concept]) -> TextEnricher:
        if self._enricher is None:
            return TextEnricher.from_concepts(concepts, self.languages, self.keyword_count)
        return self._enricher.with_concepts(concepts)
