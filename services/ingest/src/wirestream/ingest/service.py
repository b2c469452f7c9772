"""Ingest's business rules: versions, corrections, kills, holds and embargoes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import (
    Article,
    ArticleIngested,
    ArticleKilled,
    ArticleUpdated,
    Event,
    new_id,
)
from wirestream.common.outbox import Transaction
from wirestream.common.streams import ARTICLES_INGESTED

from .models import StoredArticle

Outcome = Literal["new", "update", "stale", "killed", "held", "embargoed"]


@dataclass(frozen=True)
class Accepted:
    article_id: str
    uri: str
    version: int
    outcome: Outcome

    def as_json(self) -> dict[str, object]:
        return {"article_id": self.article_id, "uri": self.uri, "version": self.version,
                "outcome": self.outcome}


Known = dict[str, StoredArticle]


async def accept_all(tx: Transaction, articles: list[Article], *,
                     now: datetime) -> list[Accepted]:
    """Accept the items of one document, in order, inside ``tx``."""
    known = await preload(tx, [a.article_id for a in articles])
    events: list[Event] = []
    results = [accept(tx.session, article, now=now, known=known, events=events)
               for article in articles]
    await tx.emit_many(ARTICLES_INGESTED, events)
    return results


async def preload(tx: Transaction, article_ids: list[str]) -> Known:
    """The stored rows of ``article_ids``, locked for this transaction, in one query.

    Pass the result to :func:`accept` as ``known``: it then needs no query of
    its own, and the new rows of a whole batch are inserted together.
    """
    if not article_ids:
        return {}
    rows = await tx.session.scalars(
        sa.select(StoredArticle).where(StoredArticle.article_id.in_(set(article_ids)))
        .order_by(StoredArticle.article_id)  # one lock order for every transaction
        .with_for_update())
    return {row.article_id: row for row in rows}


def accept(session: AsyncSession, article: Article, *, now: datetime, known: Known,
           events: list[Event]) -> Accepted:
    """Store one wire item in ``session`` and append the events it causes to ``events``.

    ``known`` is :func:`preload`'s answer for the article (new rows are added
    to it). The caller emits ``events`` with one ``Transaction.emit_many`` once
    every item of its transaction is accepted: one INSERT for the batch, and no
    autoflush between items, so the batch's rows go in with one INSERT per table.

    A higher version of a known item is an update (a correction when the agency
    says so); an equal or lower version is acknowledged and ignored; ``canceled``
    kills the article downstream; ``withheld`` holds it (taking it down if it
    was live); an embargoed item waits for :func:`release_due`.
    """
    row = known.get(article.article_id)
    if row is not None and article.version <= row.version:
        return Accepted(article.article_id, article.uri, article.version, "stale")
    if row is None:
        row = StoredArticle(article_id=article.article_id, agency=article.agency,
                            uri=article.uri, correlation_id=new_id(), received_at=now,
                            emitted_version=None)
        session.add(row)
        known[article.article_id] = row
    row.version = article.version
    row.pub_status = article.pub_status
    row.embargoed_until = article.embargoed_until
    row.payload = article.model_dump(mode="json")
    row.updated_at = now

    if article.pub_status in ("canceled", "withheld"):
        row.state = "killed" if article.pub_status == "canceled" else "held"
        if row.emitted_version is not None:
            events.append(ArticleKilled(
                article_id=article.article_id, agency=article.agency, uri=article.uri,
                version=article.version, reason=article.pub_status,
                correlation_id=row.correlation_id,
            ))
        return Accepted(article.article_id, article.uri, article.version,
                        "killed" if article.pub_status == "canceled" else "held")
    if article.embargoed_until is not None and article.embargoed_until > now:
        row.state = "embargoed"
        return Accepted(article.article_id, article.uri, article.version, "embargoed")
    outcome = _go_live(row, article, events)
    return Accepted(article.article_id, article.uri, article.version, outcome)


def _go_live(row: StoredArticle, article: Article, events: list[Event]) -> Outcome:
    previous = row.emitted_version
    row.state = "live"
    row.emitted_version = article.version
    if previous is None:
        events.append(ArticleIngested(article=article, correlation_id=row.correlation_id))
        return "new"
    events.append(ArticleUpdated(
        article=article, previous_version=previous,
        is_correction=bool(article.correction_note), correlation_id=row.correlation_id))
    return "update"


async def release_due(tx: Transaction, *, now: datetime, limit: int = 100) -> int:
    """Put embargoed items whose embargo has passed live; returns how many."""
    rows = (await tx.session.scalars(
        sa.select(StoredArticle)
        .where(StoredArticle.state == "embargoed", StoredArticle.embargoed_until <= now)
        .order_by(StoredArticle.embargoed_until)
        .limit(limit)
    )).all()
    events: list[Event] = []
    for row in rows:
        _go_live(row, Article.model_validate(row.payload), events)
    await tx.emit_many(ARTICLES_INGESTED, events)
    return len(rows)
