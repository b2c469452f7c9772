"""The comments service's composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import TypeAdapter

from wirestream.common.events import (
    ArticleEnriched,
    ArticleTranslated,
    EnrichedStreamEvent,
    PublishedStreamEvent,
    StoryChanged,
)
from wirestream.common.runtime import Runtime
from wirestream.common.streams import (
    ARTICLES_ENRICHED,
    ARTICLES_PUBLISHED,
    COMMENTS,
    GROUP_COMMENTS,
)

from .api import (
    Context,
    admin_router,
    comments_router,
    install_error_handler,
    moderation_router,
    polls_router,
    readers_router,
)
from .dashboard import dashboard_router
from .edge import EdgeMiddleware
from .handlers import article_tracker, kill_tracker
from .identity import Authenticator, ReaderTokens, SiteJwt
from .models import Base
from .moderation import ExternalScorer
from .pagecache import PageCache
from .ratelimit import RateLimiter
from .service import CommentRules
from .settings import CommentsSettings
from .writer import CommentWriter

MIGRATIONS = Path(__file__).parent / "migrations"
MAX_BODY_BYTES = 64 * 1024


def create_app(settings: CommentsSettings | None = None) -> FastAPI:
    settings = settings or CommentsSettings()
    runtime = Runtime(settings, metadata=Base.metadata, migrations=MIGRATIONS,
                      produces=[COMMENTS], title="Wirestream comments")
    runtime.bus.subscribe(stream=ARTICLES_PUBLISHED, group=GROUP_COMMENTS,
                          adapter=TypeAdapter(PublishedStreamEvent),
                          handler=article_tracker(runtime))
    # Kills come from enrich (for translations too), possibly before the article does.
    runtime.bus.subscribe(stream=ARTICLES_ENRICHED, group=GROUP_COMMENTS,
                          adapter=TypeAdapter(EnrichedStreamEvent),
                          handler=kill_tracker(runtime),
                          ignore=(ArticleEnriched, ArticleTranslated, StoryChanged))

    moderation = settings.moderation_config()
    http = httpx.AsyncClient()  # for the external scorer, when one is configured
    rules = CommentRules(
        moderation=moderation, scorer=ExternalScorer.from_config(moderation, client=http),
        premoderation=settings.premoderation, recent_bodies=settings.recent_bodies,
        edit_window_s=settings.edit_window_s,
        report_hold_threshold=settings.report_hold_threshold,
    )
    tokens = ReaderTokens(settings.reader_secret_value(), ttl_s=settings.reader_token_ttl_s)
    site_jwt = SiteJwt(settings.jwt_key.get_secret_value() if settings.jwt_key else None,
                       algorithms=settings.jwt_algorithms, issuer=settings.jwt_issuer,
                       audience=settings.jwt_audience, name_claim=settings.jwt_name_claim)
    limiter = RateLimiter(runtime.bus.redis, {
        "comment_reader": settings.rate_comment_reader,
        "comment_ip": settings.rate_comment_ip,
        "action_ip": settings.rate_action_ip,
        "new_reader_ip": settings.rate_new_reader_ip,
    })
    pages = PageCache(ttl_s=settings.page_cache_s)
    writer = CommentWriter(runtime, rules, changed=pages.invalidate)
    runtime.background.append(writer.run)
    ctx = Context(runtime=runtime, settings=settings, rules=rules, limiter=limiter,
                  tokens=tokens, authn=Authenticator(tokens, site_jwt), writer=writer,
                  pages=pages)

    # Other replicas change the pending count too: resample it now and then.
    runtime.add_periodic(30.0, ctx.refresh_pending)
    runtime.add_periodic(settings.poll_announce_s, ctx.announce_polls)

    app = runtime.app
    app.state.comments = ctx
    install_error_handler(app)
    for router in (comments_router(ctx), readers_router(ctx), polls_router(ctx),
                   moderation_router(ctx), admin_router(ctx), dashboard_router()):
        app.include_router(router)
    app.add_middleware(EdgeMiddleware, max_body_bytes=MAX_BODY_BYTES)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.site_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["content-type", "authorization", "x-requested-with", "accept-language"],
        expose_headers=["retry-after"],
        max_age=600,
    )

    runtime_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with runtime_lifespan(app):
            # (The runtime froze what start-up built: see Runtime._lifespan.)
            await ctx.refresh_pending()
            try:
                yield
            finally:
                await http.aclose()

    app.router.lifespan_context = lifespan
    return app
