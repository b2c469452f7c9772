"""Publish's composition root."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from pydantic import TypeAdapter

from wirestream.common.events import CommentEvent, EnrichedStreamEvent, Event
from wirestream.common.runtime import Runtime
from wirestream.common.streams import (
    ARTICLES_ENRICHED,
    ARTICLES_PUBLISHED,
    COMMENTS,
    GROUP_PUBLISH,
)

from .api import site_router
from .models import Base
from .render import STATIC_DIR, Renderer, SiteConfig
from .service import Site, handle_events
from .settings import PublishSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PublishSettings | None = None) -> FastAPI:
    settings = settings or PublishSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[ARTICLES_PUBLISHED], title="Wirestream publish")
    config = SiteConfig(site_name=settings.site_name, base_url=settings.site_url,
                        default_language=settings.default_language)
    site = Site(renderer=Renderer(config), config=config,
                comments_api=settings.comments_public_url, home_size=settings.home_size)

    async def handle(events: list[Event]) -> None:
        async with runtime.transaction() as tx:
            await handle_events(tx, events, site=site, now=datetime.now(UTC))

    runtime.bus.subscribe(stream=ARTICLES_ENRICHED, group=GROUP_PUBLISH,
                          adapter=TypeAdapter(EnrichedStreamEvent), handler=handle)
    runtime.bus.subscribe(stream=COMMENTS, group=GROUP_PUBLISH,
                          adapter=TypeAdapter(CommentEvent), handler=handle)
    runtime.app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    runtime.app.include_router(site_router(runtime))
    return runtime.app
