"""Enrich's rules: tag each new version once, forward kills, never go backwards."""

from __future__ import annotations

from datetime import datetime
from collections.abc import Sequence
from typing import Protocol

from wirestream.common.events import (
    Article,
    ArticleEnriched,
    ArticleIngested,
    ArticleKilled,
    ArticleUpdated,
    Event,
    Tag,
    derived_id,
)
from wirestream.common.outbox import Transaction
from wirestream.common.streams import ARTICLES_ENRICHED, GROUP_ENRICH

from .models import EnrichedArticle


class Enriched(Protocol):
    language: str
    tags: Sequence[Tag]
    keywords: Sequence[Tag]


class Enricher(Protocol):
    def enrich(self, article: Article) -> Enriched:
        """The article's language, taxonomy tags and keywords."""
        ...


async def enrich_events(tx: Transaction, events: list[Event], *, enricher: Enricher,
                        now: datetime) -> None:
    """Handle a batch of article lifecycle events in one unit of work."""
    for event in await tx.fresh(GROUP_ENRICH, events):
        if isinstance(event, ArticleKilled):
            await _kill(tx, event, now=now)
        elif isinstance(event, ArticleIngested | ArticleUpdated):
            await _enrich(tx, event, enricher=enricher, now=now)


async def _kill(tx: Transaction, event: ArticleKilled, *, now: datetime) -> None:
    row = await tx.session.get(EnrichedArticle, event.article_id)
    if row is not None:
        row.killed, row.updated_at = True, now
    await tx.emit(ARTICLES_ENRICHED, event.model_copy(
        update={"event_id": derived_id(event.event_id, GROUP_ENRICH), "occurred_at": now}))


async def _enrich(tx: Transaction, event: ArticleIngested | ArticleUpdated, *,
                  enricher: Enricher, now: datetime) -> None:
    article = event.article
    row = await tx.session.get(EnrichedArticle, article.article_id)
    if row is not None and row.version >= article.version:
        return  # an older version arriving late changes nothing
    result = enricher.enrich(article)
    language, tags = result.language, [*result.tags, *result.keywords]
    tag_json = [t.model_dump(mode="json") for t in tags]
    if row is None:
        row = EnrichedArticle(article_id=article.article_id, version=article.version,
                              language=language, tags=tag_json, story_id=None, killed=False,
                              updated_at=now)
        tx.session.add(row)
        is_update = isinstance(event, ArticleUpdated)
    else:
        row.version, row.language, row.tags, row.updated_at = (
            article.version, language, tag_json, now)
        is_update = True
    await tx.emit(ARTICLES_ENRICHED, ArticleEnriched(
        event_id=derived_id(event.event_id, GROUP_ENRICH),
        correlation_id=event.correlation_id,
        article=article, language=language, tags=tuple(tags), is_update=is_update,
        is_correction=isinstance(event, ArticleUpdated) and event.is_correction,
        story_id=row.story_id,
    ))
