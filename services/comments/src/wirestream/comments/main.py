"""The comments service's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import TypeAdapter

from wirestream.common.events import PublishedStreamEvent
from wirestream.common.runtime import Runtime
from wirestream.common.streams import ARTICLES_PUBLISHED, COMMENTS, GROUP_COMMENTS

from .api import comments_router
from .handlers import article_tracker
from .models import Base
from .settings import CommentsSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: CommentsSettings | None = None) -> FastAPI:
    settings = settings or CommentsSettings()
    runtime = Runtime(
        settings,
        metadata=Base.metadata,
        migrations=MIGRATIONS,
        produces=[COMMENTS],
        title="Wirestream comments",
    )
    runtime.bus.subscribe(
        stream=ARTICLES_PUBLISHED,
        group=GROUP_COMMENTS,
        adapter=TypeAdapter(PublishedStreamEvent),
        handler=article_tracker(runtime),
    )
    runtime.app.include_router(comments_router(runtime, settings))
    runtime.app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.site_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type", "authorization"],
        max_age=600,
    )
    return runtime.app
