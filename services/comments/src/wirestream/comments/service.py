"""Posting a comment: identity, article, thread and moderation, then one committed fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import CommentModerated, CommentPosted, new_id
from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS

from . import readers
from .articles import live_article, premoderated
from .errors import Invalid, Unauthenticated
from .identity import Identity
from .models import Comment, KnownArticle, Reader, utc
from .moderation import (
    CommentCandidate,
    ModerationConfig,
    ModerationResult,
    ReaderStatus,
    Scorer,
    moderate,
)

__all__ = ["CommentRules", "Posted", "moderated_event", "post_comment", "screen"]


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
        posted_at=utc(comment.created_at),
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


async def _check_parent(session: AsyncSession, parent_id: str, article_id: str) -> None:
    parent = await session.get(Comment, parent_id)
    if parent is None or parent.article_id != article_id or parent.status in (
        "rejected", "deleted"
    ):
        raise Invalid("invalid-parent", "A reply must answer a comment on the same article.",
                      pointer="/parent_id")


async def post_comment(tx: Transaction, *, article_id: str, identity: Identity, body: str,
                       parent_id: str | None, ip: str, rules: CommentRules,
                       now: datetime) -> Posted:
    """Moderate and store a comment, queueing ``CommentPosted`` in the same transaction.

    A rejected comment is stored too (moderators can review the pipeline's
    refusals, and a resubmission counts as a repeat); the caller answers 422.
    Reads and the external scorer come before any write, so no write lock is
    held while a third party is being asked.
    """
    session = tx.session
    article = await live_article(session, article_id)
    if parent_id is not None:
        await _check_parent(session, parent_id, article_id)
    reader = await session.get(Reader, identity.reader_id)
    if reader is None and identity.kind == "token":
        raise Unauthenticated("unknown-reader", "This reader token is no longer valid.")
    result = await screen(session, body=body, reader=reader, reader_id=identity.reader_id,
                          ip=ip, article=article, rules=rules, now=now)
    reader = await readers.ensure_reader(session, identity, reader, now=now)
    status = result.status.value
    comment = Comment(
        comment_id=new_id(), article_id=article_id, parent_id=parent_id,
        author_id=reader.reader_id, author=reader.display_name or identity.display_name or "",
        body=body, status=status, reason=result.reason, created_at=now,
    )
    session.add(comment)
    await tx.emit(COMMENTS, CommentPosted(
        comment_id=comment.comment_id, article_id=article_id, author=comment.author,
        body=body, status=status, parent_id=parent_id, posted_at=now,  # type: ignore[arg-type]
    ))
    return Posted(comment, result, article.language)
