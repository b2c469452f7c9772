"""What every service's composition root builds: database, bus, relay, trimmer, HTTP app.

``Runtime`` is constructed inside a service's ``create_app`` (never at import
time) and gives it a FastAPI app whose lifespan starts and stops everything in
order, plus ``/health``, ``/ready`` and ``/metrics``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from .bus import Bus
from .cancel import reraise_if_cancelling
from .db import create_engine, messaging_tables, session_factory
from .logs import configure_logging
from .metrics import Metrics
from .migrations import upgrade
from .outbox import OutboxRelay
from .problems import install_problem_handlers
from .settings import ServiceSettings
from .streams import (
    ARTICLES_ENRICHED,
    ARTICLES_INGESTED,
    ARTICLES_PUBLISHED,
    COMMENTS,
    STREAM_DESCRIPTIONS,
)
from .trim import StreamTrimmer

log = logging.getLogger(__name__)

Background = Callable[[], Coroutine[Any, Any, None]]


class Runtime:
    """The wired-up collaborators of one service process."""

    def __init__(self, settings: ServiceSettings, *, metadata: sa.MetaData,
                 migrations: Path, produces: Sequence[str] = (), title: str = "") -> None:
        configure_logging(settings.service_name, level=settings.log_level,
                          json_output=settings.log_json)
        self.settings = settings
        self.metadata = metadata
        self.migrations = migrations
        self.outbox_table, self.inbox_table = (
            metadata.tables["outbox"], metadata.tables["inbox"]
        ) if "outbox" in metadata.tables else messaging_tables(metadata)
        self.registry = CollectorRegistry()
        self.metrics = Metrics(self.registry, settings.service_name)
        self.database_url = settings.resolved_database_url()
        self.engine = create_engine(self.database_url)
        self.sessions = session_factory(self.engine)
        self.bus = Bus(settings, metrics=self.metrics)
        self.relay = OutboxRelay(
            sessions=self.sessions, outbox=self.outbox_table, inbox=self.inbox_table,
            redis=self.bus.redis, metrics=self.metrics, poll_s=settings.outbox_poll_s,
        )
        self.trimmer = StreamTrimmer(
            self.bus.redis, produces, metrics=self.metrics,
            retention_s=settings.stream_retention_s, interval_s=settings.trim_interval_s,
        )
        self._document_streams(produces)
        self.background: list[Background] = [self.relay.run, self.trimmer.run,
                                              self.bus.supervise]
        # Run in order after migrations and before the bus starts consuming.
        self.on_startup: list[Background] = []
        self.app = FastAPI(title=title or f"Wirestream {settings.service_name}",
                           lifespan=self._lifespan)
        self.app.state.runtime = self
        self.app.state.refusals = self.metrics.http_refusals
        install_problem_handlers(self.app)
        self._add_probes()

    @asynccontextmanager
    async def _lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        if self.settings.run_migrations:
            await asyncio.to_thread(upgrade, self.database_url, self.migrations)
        for step in self.on_startup:
            await step()
        await self.bus.start()
        tasks = [asyncio.create_task(fn(), name=fn.__qualname__) for fn in self.background]
        log.info("started", extra={"consumer": self.bus.consumer, "port": self.settings.port})
        # What start-up built (modules, models, the app, enrich's taxonomy: 10^5-10^6
        # objects) lives as long as the process. Frozen, the collector's full passes skip
        # it: unfrozen, each took 130-280 ms of a busy service's loop (measured at 50
        # items/s: 8 full passes in enrich, 1.3 s in all).
        if self.settings.gc_freeze:
            gc.freeze()
        try:
            yield
        finally:
            if self.settings.gc_freeze:
                gc.unfreeze()  # collectable again (tests start many apps in one process)
            # Stop taking new messages first; in-flight handlers finish within
            # graceful_timeout_s (unfinished ones stay pending and are claimed).
            await self._shutdown(tasks)

    async def _shutdown(self, tasks: list[asyncio.Task[None]]) -> None:
        """Stop in order, each step bounded, so a stuck step cannot hang the pod's exit."""
        grace = self.settings.graceful_timeout_s
        try:
            await asyncio.wait_for(self.bus.stop(), timeout=grace + 5)
        except TimeoutError:
            log.error("bus did not stop within the grace period")
        for task in tasks:
            task.cancel()
        _done, stuck = await asyncio.wait(tasks, timeout=5) if tasks else (set(), set())
        for task in stuck:
            log.error("background task did not stop", extra={"task": task.get_name()})
        try:
            await asyncio.wait_for(self.engine.dispose(), timeout=10)
        except TimeoutError:
            log.error("database connections did not close in time")
        log.info("stopped")

    def _document_streams(self, produces: Sequence[str]) -> None:
        """Declare what this service writes, so its AsyncAPI document shows the event schemas.

        The outbox relay does the publishing; these publishers only describe it.
        """
        from . import events  # the union types live with the events

        schemas = {
            ARTICLES_INGESTED: events.ArticleLifecycle,
            ARTICLES_ENRICHED: events.EnrichedStreamEvent,
            ARTICLES_PUBLISHED: events.PublishedStreamEvent,
            COMMENTS: events.CommentEvent,
        }
        for stream in produces:
            self.bus.broker.publisher(stream=stream, schema=schemas.get(stream),
                                      title=f"{stream}:write",
                                      description=STREAM_DESCRIPTIONS.get(stream))

    def add_periodic(self, interval_s: float, fn: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``fn`` every ``interval_s`` in the background; outages are logged and retried."""

        async def loop() -> None:
            while True:
                try:
                    await fn()
                except (SQLAlchemyError, RedisError, OSError) as exc:
                    reraise_if_cancelling()
                    log.warning("periodic task failed, will retry",
                                extra={"task": fn.__qualname__, "error": repr(exc)})
                await asyncio.sleep(interval_s)

        loop.__qualname__ = fn.__qualname__
        self.background.append(loop)

    async def ready(self) -> dict[str, str]:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(self.bus.redis.ping(), timeout=2)
            checks["redis"] = "ok"
        except Exception as exc:  # a probe reports any failure, never raises
            checks["redis"] = f"error: {type(exc).__name__}"
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(sa.text("SELECT 1")), timeout=2)
            checks["database"] = "ok"
        except Exception as exc:  # a probe reports any failure, never raises
            checks["database"] = f"error: {type(exc).__name__}"
        return checks

    def _add_probes(self) -> None:
        app = self.app

        @app.get("/health", include_in_schema=False)
        async def health() -> Response:
            ok = self.bus.healthy()
            return Response('{"status":"ok"}' if ok else '{"status":"subscriber stopped"}',
                            status_code=200 if ok else 503, media_type="application/json")

        @app.get("/ready", include_in_schema=False)
        async def ready() -> Response:
            import json

            checks = await self.ready()
            ok = all(v == "ok" for v in checks.values())
            return Response(json.dumps({"status": "ready" if ok else "not ready", **checks}),
                            status_code=200 if ok else 503, media_type="application/json")

        @app.get("/metrics", include_in_schema=False)
        async def metrics() -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

    def transaction(self):  # type: ignore[no-untyped-def]
        """Shortcut for ``relay.transaction()``: a unit of work whose events are relayed."""
        return self.relay.transaction()
