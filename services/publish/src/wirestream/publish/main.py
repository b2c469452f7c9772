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

from . import dirty, keys
from .api import api_router
from .builder import PageBuilder
from .fastpath import PageFastPath
from .feedcache import FeedCache, SitePages
from .live import LiveFeed
from .models import Base
from .pagestore import PageCache
from .push import install_push
from .render import STATIC_DIR, Renderer, SiteConfig
from .routes import site_router
from .service import handle_events
from .settings import PublishSettings
from .site import Site
from .writes import write_gate

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PublishSettings | None = None) -> FastAPI:
    settings = settings or PublishSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[ARTICLES_PUBLISHED], title="Wirestream publish")
    app = runtime.app

    # --- the site: pages rendered on change, served from the pages table -------------
    config = SiteConfig(site_name=settings.site_name, base_url=settings.site_url,
                        default_language=settings.default_language,
                        languages=tuple(settings.site_languages))
    site = Site(renderer=Renderer(config), config=config,
                comments_api=settings.comments_public_url, home_size=settings.home_size,
                list_size=settings.list_size, related_size=settings.related_size)
    cache = PageCache(runtime.sessions, ttl_s=settings.page_cache_s,
                      size=settings.page_cache_size,
                      max_bytes=int(settings.page_cache_mb * 1024 * 1024))
    gate = write_gate(runtime.database_url)
    builder = PageBuilder(sessions=runtime.sessions, site=site, cache=cache,
                          debounce_s=settings.build_debounce_s, poll_s=settings.build_poll_s,
                          batch=settings.build_batch, lease_s=settings.build_lease_s,
                          duty=settings.build_duty, gate=gate)
    feed = LiveFeed(runtime.bus.redis)
    pages = SitePages(cache, FeedCache(runtime.sessions, cache, site=site))
    app.state.builder, app.state.page_cache, app.state.live_feed = builder, cache, feed

    async def handle(events: list[Event]) -> None:
        async with gate, runtime.transaction() as tx:
            written = await handle_events(tx, events, site=site, now=datetime.now(UTC))
        cache.evict(written)
        builder.notify()

    async def mark(*marked: keys.Key) -> None:
        async with gate, runtime.transaction() as tx:
            await dirty.mark(tx.session, marked, now=datetime.now(UTC))
        builder.notify()

    async def first_pages() -> None:
        """A new site shows empty front pages rather than 404s."""
        await mark(keys.Key("home", ""), keys.SITEMAP,
                   *(keys.Key("home", lang) for lang in config.languages))

    async def refresh_sitemap() -> None:
        await mark(keys.SITEMAP)  # items older than 48 hours drop out

    runtime.bus.subscribe(stream=ARTICLES_ENRICHED, group=GROUP_PUBLISH,
                          adapter=TypeAdapter(EnrichedStreamEvent), handler=handle)
    runtime.bus.subscribe(stream=COMMENTS, group=GROUP_PUBLISH,
                          adapter=TypeAdapter(CommentEvent), handler=handle)
    runtime.on_startup.append(first_pages)
    runtime.background += [builder.run, feed.run]
    runtime.add_periodic(settings.sitemap_refresh_s, refresh_sitemap)
    app.add_middleware(PageFastPath, cache=pages)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_router(runtime))
    app.include_router(site_router(cache=pages, feed=feed, config=config))
    # --- push channels (webhooks, Web Push): own consumer group, worker and routes ---
    install_push(runtime, settings, gate=gate)
    return app
