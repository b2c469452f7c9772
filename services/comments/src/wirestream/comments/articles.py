"""Which articles take comments: publish opens them, moderators close them or set the mode."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import ArticlePublished, ArticleUnpublished, Event
from wirestream.common.outbox import Transaction
from wirestream.common.streams import GROUP_COMMENTS

from .errors import ArticleNotOpen
from .models import KnownArticle

Mode = Literal["pre", "post"]


async def track_articles(tx: Transaction, events: list[Event], *, now: datetime) -> None:
    """Follow publish: a published article opens for comments, an unpublished one closes."""
    for event in await tx.fresh(GROUP_COMMENTS, events):
        if isinstance(event, ArticlePublished):
            row = await tx.session.get(KnownArticle, event.article_id)
            if row is None:
                tx.session.add(KnownArticle(
                    article_id=event.article_id, url=event.url, open=True, updated_at=now,
                    language=event.language, closed=False,
                ))
            else:
                row.url, row.language, row.open, row.updated_at = (
                    event.url, event.language, True, now)
        elif isinstance(event, ArticleUnpublished):
            row = await tx.session.get(KnownArticle, event.article_id)
            if row is not None:
                row.open, row.updated_at = False, now


async def live_article(session: AsyncSession, article_id: str) -> KnownArticle:
    """The article if publish has it live (closed ones included: moderation refuses those)."""
    article = await session.get(KnownArticle, article_id)
    if article is None or not article.open:
        raise ArticleNotOpen(article_id)
    return article


def premoderated(article: KnownArticle, *, default: bool) -> bool:
    """Whether comments on ``article`` wait for a moderator (its own mode, else the default)."""
    if article.moderation_mode is None:
        return default
    return article.moderation_mode == "pre"


async def configure(session: AsyncSession, article_id: str, *,
                    mode: Mode | Literal["default"] | None, closed: bool | None,
                    now: datetime) -> KnownArticle:
    """Set the article's moderation mode ("default": follow the global setting) and/or
    close it; a None argument leaves that setting as it is."""
    article = await live_article(session, article_id)
    if mode is not None:
        article.moderation_mode = None if mode == "default" else mode
    if closed is not None:
        article.closed = closed
    article.updated_at = now
    return article
