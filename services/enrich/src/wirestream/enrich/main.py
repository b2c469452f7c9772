"""Enrich's composition root."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from pydantic import TypeAdapter

from wirestream.common.events import ArticleLifecycle, Event
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_INGESTED, GROUP_ENRICH

from .api import admin_router, articles_router
from .live import LiveEnricher
from .models import Base
from .service import enrich_events
from .settings import EnrichSettings
from .stories_store import StoryBook
from .translation.backend import Backend, create_backend
from .translation.worker import Policy, TranslationWorker

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: EnrichSettings | None = None) -> FastAPI:
    settings = settings or EnrichSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[ARTICLES_ENRICHED], title="Wirestream enrich")
    live = LiveEnricher(runtime.sessions, languages=settings.languages,
                        keyword_count=settings.max_keywords)
    stories = StoryBook(window=timedelta(hours=settings.story_window_h),
                        related_count=settings.related_count, min_items=settings.story_min_items,
                        max_items=settings.story_max_items)
    backend = _translation_backend(settings)
    targets = list(settings.translation_targets) if backend else []
    # The reader and the claimer may deliver at once; stories are assigned one batch at a time.
    one_batch = asyncio.Lock()

    async def handle(events: list[Event]) -> None:
        async with one_batch:
            try:
                async with runtime.transaction() as tx:
                    await enrich_events(tx, events, enricher=live.enricher, stories=stories,
                                        translate_to=targets, now=datetime.now(UTC))
            except BaseException:
                stories.invalidate()  # the cache may hold what was rolled back
                raise

    async def check_taxonomy() -> None:
        await live.refresh()

    runtime.on_startup.append(live.load)
    runtime.add_periodic(settings.taxonomy_check_s, check_taxonomy)
    if backend is not None:
        worker = TranslationWorker(backend=backend, sessions=runtime.sessions,
                                   metrics=runtime.metrics,
                                   transaction=runtime.transaction, policy=Policy(
                                       timeout_s=settings.translation_timeout_s,
                                       concurrency=settings.translation_concurrency,
                                       max_attempts=settings.translation_max_attempts,
                                       backoff_s=settings.translation_backoff_s,
                                       backoff_max_s=settings.translation_backoff_max_s,
                                       poll_s=settings.translation_poll_s))
        runtime.background.append(worker.run)
    runtime.bus.subscribe(stream=ARTICLES_INGESTED, group=GROUP_ENRICH,
                          adapter=TypeAdapter(ArticleLifecycle), handler=handle)
    runtime.app.state.live = live
    runtime.app.include_router(articles_router(runtime))
    runtime.app.include_router(admin_router(runtime, settings, live))
    return runtime.app


def _translation_backend(settings: EnrichSettings) -> Backend | None:
    backend = create_backend(settings)
    if backend is None:
        return None
    reason = backend.unavailable()
    if reason:
        # Enrichment goes on without translations rather than failing to start.
        log.error("translation backend unavailable; translation is off",
                  extra={"backend": settings.translation_backend, "reason": reason})
        return None
    return backend
