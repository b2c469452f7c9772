"""Publish's push channels: signed webhooks to subscribers and Web Push to readers.

``install_push`` wires them into publish's runtime: three subscriptions as
consumer group ``publish-push`` (which only enqueue deliveries), the delivery
worker, the periodic chores and the HTTP routes.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass

from pydantic import TypeAdapter

from wirestream.common.events import (
    CommentEvent,
    EnrichedStreamEvent,
    Event,
    PollUpdated,
    PublishedStreamEvent,
    utcnow,
)
from wirestream.common.runtime import Runtime
from wirestream.common.settings import ServiceSettings
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_PUBLISHED, COMMENTS, GROUP_PUSH

from . import models as _models  # noqa: F401 - the push tables join publish's metadata
from . import upkeep
from .api import subscriptions_router
from .sender import Sender
from .service import PushContext, handle_events
from .settings import PushSettings
from .ssrf import Guard
from .web_api import web_push_router
from .webpush import VapidSigner, generate_private_key
from .worker import DeliveryWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Push:
    """What ``install_push`` built (on ``app.state.push``, for tests and tools)."""

    settings: PushSettings
    guard: Guard
    sender: Sender
    worker: DeliveryWorker
    vapid: VapidSigner | None


def _vapid(push: PushSettings, *, dev_mode: bool) -> VapidSigner | None:
    key = push.vapid_private_key.get_secret_value() if push.vapid_private_key else None
    if key is None and dev_mode:
        log.warning("no VAPID key configured; using a throwaway one (dev mode)")
        key = generate_private_key()
    return VapidSigner(key, push.vapid_subject) if key else None


def install_push(runtime: Runtime, settings: ServiceSettings, *,
                 gate: AbstractAsyncContextManager[object] | None = None) -> Push:
    """Add the push channels to publish's runtime (called from ``create_app``); ``gate``
    is held around the handler's transaction (publish's one-writer gate on SQLite)."""
    writing = gate if gate is not None else nullcontext()
    push = settings if isinstance(settings, PushSettings) else PushSettings()
    guard = Guard(allow_private=push.push_allow_private_hosts, allow_http=push.push_allow_http)
    vapid = _vapid(push, dev_mode=settings.dev_mode)
    sender = Sender(guard, vapid=vapid, connect_timeout_s=push.push_connect_timeout_s,
                    timeout_s=push.push_timeout_s, per_origin=push.push_connections_per_origin)
    worker = DeliveryWorker(sessions=runtime.sessions, sender=sender, metrics=runtime.metrics,
                            settings=push)
    ctx = PushContext(site_url=str(getattr(settings, "site_url", "")),
                      max_attempts=push.push_max_attempts)

    async def handle(events: list[Event]) -> None:
        async with writing, runtime.transaction() as tx:
            added = await handle_events(tx, events, ctx=ctx, now=utcnow())
        if added:
            worker.wake()

    for stream, union in ((ARTICLES_PUBLISHED, PublishedStreamEvent),
                          (ARTICLES_ENRICHED, EnrichedStreamEvent), (COMMENTS, CommentEvent)):
        # Poll results change with every vote and no channel carries them.
        runtime.bus.subscribe(stream=stream, group=GROUP_PUSH, adapter=TypeAdapter(union),
                              handler=handle,
                              ignore=(PollUpdated,) if stream == COMMENTS else ())

    async def release_parked() -> None:
        async with runtime.sessions() as session, session.begin():
            added = await upkeep.release(session, ctx=ctx, settings=push)
        if added:
            worker.wake()

    async def prune_log() -> None:
        async with runtime.sessions() as session, session.begin():
            await upkeep.prune(session, settings=push)

    runtime.background.append(worker.run)
    runtime.add_periodic(min(push.push_facets_wait_s / 4, 5.0), release_parked)
    runtime.add_periodic(3600.0, prune_log)
    runtime.app.include_router(subscriptions_router(runtime, settings=push, guard=guard,
                                                    wake=worker.wake))
    runtime.app.include_router(web_push_router(runtime, guard=guard, vapid=vapid))
    built = Push(settings=push, guard=guard, sender=sender, worker=worker, vapid=vapid)
    runtime.app.state.push = built
    return built
