"""Comment rules: which articles are open, posting, listing."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import (
    ArticlePublished,
    ArticleUnpublished,
    CommentPosted,
    Event,
    new_id,
)
from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS, GROUP_COMMENTS

from .models import Comment, KnownArticle


class ArticleNotOpen(Exception):
    """The article is unknown (not published yet) or closed to comments."""


async def track_articles(tx: Transaction, events: list[Event], *, now: datetime) -> None:
    """Follow publish: a published article opens for comments, an unpublished one closes."""
    for event in await tx.fresh(GROUP_COMMENTS, events):
        if isinstance(event, ArticlePublished):
            row = await tx.session.get(KnownArticle, event.article_id)
            if row is None:
                tx.session.add(
                    KnownArticle(
                        article_id=event.article_id, url=event.url, open=True, updated_at=now
                    )
                )
            else:
                row.url, row.updated_at = event.url, now
        elif isinstance(event, ArticleUnpublished):
            row = await tx.session.get(KnownArticle, event.article_id)
            if row is not None:
                row.open, row.updated_at = False, now


async def post_comment(
    tx: Transaction,
    *,
    article_id: str,
    author: str,
    body: str,
    parent_id: str | None,
    now: datetime,
) -> Comment:
    """Store a comment and queue its ``CommentPosted`` event in the same transaction."""
    article = await tx.session.get(KnownArticle, article_id)
    if article is None or not article.open:
        raise ArticleNotOpen(article_id)
    comment = Comment(
        comment_id=new_id(),
        article_id=article_id,
        parent_id=parent_id,
        author=author,
        body=body,
        status="approved",
        created_at=now,
    )
    tx.session.add(comment)
    await tx.emit(
        COMMENTS,
        CommentPosted(
            comment_id=comment.comment_id,
            article_id=article_id,
            author=author,
            body=body,
            status="approved",
            parent_id=parent_id,
            posted_at=now,
        ),
    )
    return comment


@dataclass(frozen=True)
class Page:
    comments: list[Comment]
    next_cursor: str | None


def _encode(c: Comment) -> str:
    raw = f"{c.created_at.isoformat()}|{c.comment_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    raw = base64.urlsafe_b64decode(cursor.encode()).decode()
    stamp, _, cid = raw.partition("|")
    return datetime.fromisoformat(stamp), cid


async def list_comments(
    session: AsyncSession, article_id: str, *, limit: int, cursor: str | None = None
) -> Page:
    """Approved comments, newest first, keyset-paginated (fast on any page)."""
    q = sa.select(Comment).where(Comment.article_id == article_id, Comment.status == "approved")
    if cursor:
        at, cid = decode_cursor(cursor)
        q = q.where(sa.tuple_(Comment.created_at, Comment.comment_id) < sa.tuple_(at, cid))
    q = q.order_by(Comment.created_at.desc(), Comment.comment_id.desc()).limit(limit + 1)
    rows = list((await session.scalars(q)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, _encode(rows[-1]) if more and rows else None)
