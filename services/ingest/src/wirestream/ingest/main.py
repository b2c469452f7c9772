"""Ingest's composition root: the only place settings, database, bus and HTTP meet."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_INGESTED

from .api import admin_router, webhook_router
from .models import Base
from .service import release_due
from .settings import IngestSettings

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[ARTICLES_INGESTED], title="Wirestream ingest")

    async def release_embargoes() -> None:
        async with runtime.transaction() as tx:
            released = await release_due(tx, now=datetime.now(UTC))
        if released:
            log.info("embargo released", extra={"count": released})

    runtime.add_periodic(settings.embargo_check_s, release_embargoes)
    runtime.app.include_router(webhook_router(runtime, settings))
    runtime.app.include_router(admin_router(runtime, settings))
    return runtime.app
