"""Ingest's composition root: the only place settings, database, bus and HTTP meet."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_INGESTED

from .admin_api import admin_router
from .api import webhook_router
from .batching import GroupCommit
from .keys import AgencyKeyCache
from .models import Base
from .parsing import Parser
from .polling import FeedPoller
from .service import release_due
from .settings import IngestSettings
from .writes import Writes

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[ARTICLES_INGESTED], title="Wirestream ingest")
    writes = Writes(runtime.relay, single_writer=runtime.engine.dialect.name == "sqlite")
    keys = AgencyKeyCache(runtime.sessions, ttl_s=settings.agency_cache_s)
    parser = Parser()
    poller = FeedPoller(writes=writes, settings=settings, metrics=runtime.metrics, parser=parser)

    async def release_embargoes() -> None:
        async with writes.transaction() as tx:
            released = await release_due(tx, now=datetime.now(UTC))
        if released:
            log.info("embargo released", extra={"count": released})

    async def poll_feeds() -> None:
        await poller.tick()

    runtime.add_periodic(settings.embargo_check_s, release_embargoes)
    runtime.add_periodic(settings.feed_tick_s, poll_feeds)
    runtime.app.state.feed_poller = poller
    runtime.app.state.parser = parser
    group = GroupCommit(writes)
    runtime.app.include_router(webhook_router(settings, keys=keys, group=group, parser=parser,
                                              metrics=runtime.metrics))
    runtime.app.include_router(admin_router(runtime, settings, keys=keys, writes=writes))
    return runtime.app
