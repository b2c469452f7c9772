"""Enrich's composition root."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from pydantic import TypeAdapter

from wirestream.common.events import ArticleLifecycle, Event
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_INGESTED, GROUP_ENRICH

from .models import Base
from .service import enrich_events
from .settings import EnrichSettings
from .taxonomy_store import load_concepts, seed_if_empty
from .text.pipeline import TextEnricher

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: EnrichSettings | None = None) -> FastAPI:
    settings = settings or EnrichSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[ARTICLES_ENRICHED], title="Wirestream enrich")
    state: dict[str, TextEnricher] = {}

    async def load_taxonomy() -> None:
        async with runtime.sessions() as session, session.begin():
            seeded = await seed_if_empty(session, now=datetime.now(UTC))
            concepts = await load_concepts(session)
        # Building the language models and the matcher index is CPU work: off the loop.
        state["enricher"] = await asyncio.to_thread(
            TextEnricher.from_concepts, concepts, settings.languages)
        log.info("taxonomy loaded", extra={"concepts": len(concepts), "seeded": seeded})

    async def handle(events: list[Event]) -> None:
        async with runtime.transaction() as tx:
            await enrich_events(tx, events, enricher=state["enricher"], now=datetime.now(UTC))

    runtime.on_startup.append(load_taxonomy)
    runtime.bus.subscribe(stream=ARTICLES_INGESTED, group=GROUP_ENRICH,
                          adapter=TypeAdapter(ArticleLifecycle), handler=handle)
    return runtime.app
