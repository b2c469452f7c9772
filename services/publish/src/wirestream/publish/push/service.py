"""Push's rules: which bus events become which messages, enqueued in the handler's transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import (
    ArticleEnriched,
    ArticlePublished,
    ArticleTranslated,
    ArticleUnpublished,
    CommentModerated,
    CommentPosted,
    Event,
    StoryChanged,
)
from wirestream.common.outbox import Transaction
from wirestream.common.streams import GROUP_PUSH

from . import facets as facet_store
from .fanout import Fanout, Outgoing
from .matching import WEBHOOK_TYPES, Facets, union
from .models import ArticleFacets
from .webpush import topic_for


@dataclass(frozen=True)
class PushContext:
    site_url: str
    max_attempts: int


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _webhook(kind: str, event: Event, data: dict[str, Any]) -> str:
    return _json({"type": WEBHOOK_TYPES[kind], "timestamp": event.occurred_at.isoformat(),
                  "data": {"event_id": event.event_id, **data}})


def _absolute(site_url: str, url: str) -> str:
    return url if url.startswith(("https://", "http://")) else site_url.rstrip("/") + url


def _facet_fields(row: ArticleFacets | None) -> dict[str, Any]:
    if row is None:
        return {"story_id": None, "section": None, "tags": [], "iptc": []}
    return {"story_id": row.story_id, "section": row.section, "tags": row.tags,
            "iptc": row.iptc}


async def handle_events(tx: Transaction, events: list[Event], *, ctx: PushContext,
                        now: datetime) -> int:
    """Apply a batch from any of push's three streams; returns the deliveries enqueued."""
    fan = Fanout(tx.session, now=now, max_attempts=ctx.max_attempts)
    fresh = await tx.fresh(GROUP_PUSH, events)
    locked = facet_store.Locked(tx.session, now=now)
    await locked.load(_facets_of(e) for e in fresh if _facets_of(e))
    count = 0
    for event in fresh:
        for out in await _outgoing(tx.session, event, ctx=ctx, now=now, fan=fan,
                                   locked=locked):
            count += await fan.enqueue(out)
    return count


def _facets_of(event: Event) -> str:
    """The article whose facets row ``event`` writes ("" for none)."""
    if isinstance(event, ArticleEnriched | ArticleTranslated):
        return event.article.article_id
    return event.article_id if isinstance(event, ArticlePublished) else ""


async def release_overdue(session: AsyncSession, *, ctx: PushContext, now: datetime,
                          wait_s: float) -> int:
    """Send parked published events whose facets never came, with what is known."""
    fan = Fanout(session, now=now, max_attempts=ctx.max_attempts)
    count = 0
    for row, waiting in await facet_store.overdue(session, before=now - timedelta(seconds=wait_s)):
        for event in waiting:
            count += await fan.enqueue(published(event, row if row.version else None, ctx))
    return count


async def _outgoing(session: AsyncSession, event: Event, *, ctx: PushContext,
                    now: datetime, fan: Fanout, locked: facet_store.Locked) -> list[Outgoing]:
    if isinstance(event, ArticleEnriched | ArticleTranslated):
        language = event.language if isinstance(event, ArticleEnriched) \
            else event.article.language or event.source_language
        row, ready = await facet_store.store(locked, event.article, language=language,
                                             tags=event.tags, story_id=event.story_id, now=now)
        return [published(e, row, ctx) for e in ready]
    if isinstance(event, ArticlePublished):
        row = await facet_store.ready_or_park(locked, event, now=now)
        return [published(event, row, ctx)] if row is not None else []
    if isinstance(event, ArticleUnpublished):
        row = await session.get(ArticleFacets, event.article_id)
        if row is not None:  # a page taken down before it went out is not announced
            row.waiting, row.waiting_since = [], None
        return [_killed(event, row, ctx)]
    if isinstance(event, StoryChanged):
        if not await fan.any_webhooks():
            return []  # a webhook-only event: skip reading every member's facets for no one
        rows = await facet_store.for_articles(session, event.article_ids)
        return [_story_changed(event, rows)]
    if isinstance(event, CommentPosted | CommentModerated) and event.status == "approved":
        if isinstance(event, CommentModerated) and event.reason in _NOT_AN_APPROVAL:
            return []  # (un)featuring an approved comment: subscribers already have it
        return [_comment(event, await session.get(ArticleFacets, event.article_id))]
    return []


# CommentModerated reasons that keep a comment approved without approving it again.
_NOT_AN_APPROVAL = frozenset({"featured", "unfeatured"})


def published(event: ArticlePublished, row: ArticleFacets | None, ctx: PushContext) -> Outgoing:
    kind = "updated" if event.is_update else "published"
    facets = facet_store.as_facets(row) | Facets(languages=frozenset([event.language]),
                                                 urgency=event.urgency)
    fields = _facet_fields(row)
    url = _absolute(ctx.site_url, event.url)
    data = {"article_id": event.article_id, "version": event.version,
            "headline": event.headline, "url": url, "language": event.language,
            "urgency": facets.urgency, "is_update": event.is_update, **fields}
    push = {"type": WEBHOOK_TYPES[kind], "article_id": event.article_id,
            "headline": event.headline[:240], "url": url, "language": event.language,
            "urgency": facets.urgency, "story_id": fields["story_id"]}
    return Outgoing(kind=kind, event_id=event.event_id, facets=facets,
                    webhook_body=_webhook(kind, event, data), push_body=_json(push),
                    topic=topic_for(fields["story_id"] or event.article_id))


def _killed(event: ArticleUnpublished, row: ArticleFacets | None, ctx: PushContext) -> Outgoing:
    data = {"article_id": event.article_id, "url": _absolute(ctx.site_url, event.url),
            **_facet_fields(row)}
    return Outgoing(kind="killed", event_id=event.event_id,
                    facets=facet_store.as_facets(row),
                    webhook_body=_webhook("killed", event, data))


def _story_changed(event: StoryChanged, rows: list[ArticleFacets]) -> Outgoing:
    facets = union(facet_store.as_facets(r) for r in rows) | Facets(
        stories=frozenset([event.story_id]), languages=frozenset(event.languages))
    data = {"story_id": event.story_id, "title": event.title,
            "article_ids": list(event.article_ids), "sources": list(event.sources),
            "languages": list(event.languages), "updated_article_id": event.updated_article_id}
    return Outgoing(kind="story_changed", event_id=event.event_id, facets=facets,
                    webhook_body=_webhook("story_changed", event, data))


def _comment(event: CommentPosted | CommentModerated, row: ArticleFacets | None) -> Outgoing:
    data = {"comment_id": event.comment_id, "article_id": event.article_id,
            "author": event.author, "body": event.body,
            "posted_at": event.posted_at.isoformat() if event.posted_at else None}
    return Outgoing(kind="comment_approved", event_id=event.event_id,
                    facets=facet_store.as_facets(row),
                    webhook_body=_webhook("comment_approved", event, data))
