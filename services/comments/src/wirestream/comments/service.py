"""The rules every comment is held to, moderation of one text, and the facts emitted.

Posting itself happens in batches: see ``posting`` and ``writer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import CommentModerated

from . import readers
from .articles import premoderated
from .models import Comment, KnownArticle, Reader, utc
from .moderation import (
    CommentCandidate,
    ModerationConfig,
    ModerationResult,
    ReaderStatus,
    Scorer,
    moderate,
)

__all__ = ["CommentRules", "Posted", "moderated_event", "screen"]


@dataclass(frozen=True)
class CommentRules:
    """The policy every comment is held to, built once from settings."""

    moderation: ModerationConfig
    scorer: Scorer | None = None
    premoderation: bool = False
    recent_bodies: int = 10
    edit_window_s: int = 600
    report_hold_threshold: int = 3


@dataclass(frozen=True)
class Posted:
    comment: Comment
    result: ModerationResult
    language: str | None


def moderated_event(comment: Comment, status: str, reason: str | None) -> CommentModerated:
    """The fact publish needs: always with author, body and time, so it can show a
    comment whose first ``CommentPosted`` it saw as pending or never saw at all."""
    return CommentModerated(
        comment_id=comment.comment_id, article_id=comment.article_id, status=status,  # type: ignore[arg-type]
        reason=reason, author=comment.author, body=comment.body,
        posted_at=utc(comment.created_at), featured=bool(comment.featured),
    )


async def screen(session: AsyncSession, *, body: str, reader: Reader | None, reader_id: str,
                 ip: str, article: KnownArticle, rules: CommentRules, now: datetime,
                 exclude_id: str | None = None) -> ModerationResult:
    """Run moderation over ``body`` as written by ``reader`` (None: not seen before)."""
    threshold = rules.moderation.new_reader_threshold
    candidate = CommentCandidate(
        body=body, author_id=reader_id, ip=ip, article_id=article.article_id,
        reader_approved_count=await readers.approved_count(session, reader_id, cap=threshold),
        reader_status=readers.status_of(reader, now=now) if reader else ReaderStatus.ACTIVE,
        article_comments_closed=article.closed,
        premoderation=premoderated(article, default=rules.premoderation),
        recent_bodies_by_author=await readers.recent_bodies(
            session, reader_id, now=now, limit=rules.recent_bodies, exclude_id=exclude_id),
        language=article.language,
    )
    return await moderate(candidate, config=rules.moderation, scorer=rules.scorer)
