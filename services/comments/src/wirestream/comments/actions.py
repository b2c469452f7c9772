"""What a reader does to comments: edit or delete their own, react, report."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS

from .articles import live_article
from .errors import Conflict, Forbidden, NotFound
from .identity import Identity
from .models import Comment, Reaction, Reader, Report, utc
from .moderation import ModerationResult, ReaderStatus
from .readers import status_of
from .service import CommentRules, moderated_event, screen
from .sql import insert_once

REACTIONS = ("like", "dislike", "love", "laugh", "sad", "angry")
REPORT_REASONS = ("spam", "abuse", "hate", "off-topic", "misinformation", "other")
ReactionKind = Literal["like", "dislike", "love", "laugh", "sad", "angry"]
ReportReason = Literal["spam", "abuse", "hate", "off-topic", "misinformation", "other"]


async def _visible(session: AsyncSession, comment_id: str,
                   statuses: tuple[str, ...] = ("approved", "pending")) -> Comment:
    comment = await session.get(Comment, comment_id)
    if comment is None or comment.status not in statuses:
        raise NotFound("no-such-comment", "No such comment.", pointer="/comment_id")
    return comment


async def _active(session: AsyncSession, reader_id: str, now: datetime) -> None:
    reader = await session.get(Reader, reader_id)
    if reader is not None and status_of(reader, now=now) is not ReaderStatus.ACTIVE:
        raise Forbidden("reader-not-active", "Your account may not do this at present.")


def _own(comment: Comment, identity: Identity) -> None:
    if comment.author_id != identity.reader_id:
        raise Forbidden("not-your-comment", "Only the author may change this comment.")


async def edit_comment(tx: Transaction, *, comment_id: str, identity: Identity, body: str,
                       ip: str, rules: CommentRules,
                       now: datetime) -> tuple[Comment, ModerationResult]:
    """Replace the body within the edit window; the new text is moderated afresh.

    A rejected edit changes nothing (the caller answers 422 with the reason);
    an edit that must be reviewed takes a visible comment off the page until
    a moderator approves it.
    """
    session = tx.session
    comment = await _visible(session, comment_id)
    _own(comment, identity)
    if now - utc(comment.created_at) > timedelta(seconds=rules.edit_window_s):
        raise Forbidden("edit-window-closed",
                        f"Comments can be edited for {rules.edit_window_s} seconds.")
    article = await live_article(session, comment.article_id)
    reader = await session.get(Reader, identity.reader_id)
    result = await screen(session, body=body, reader=reader, reader_id=identity.reader_id,
                          ip=ip, article=article, rules=rules, now=now, exclude_id=comment_id)
    if result.status.value == "rejected":
        return comment, result
    was = comment.status
    comment.body, comment.edited_at = body, now
    comment.status, comment.reason = result.status.value, result.reason
    if "approved" in (was, comment.status):
        await tx.emit(COMMENTS, moderated_event(comment, comment.status, "edited"))
    return comment, result


async def delete_own(tx: Transaction, *, comment_id: str, identity: Identity) -> str:
    """Delete the reader's own comment; returns its article's id."""
    comment = await _visible(tx.session, comment_id)
    _own(comment, identity)
    comment.status, comment.reason = "deleted", "deleted-by-author"
    await tx.emit(COMMENTS, moderated_event(comment, "deleted", "deleted-by-author"))
    return comment.article_id


async def react(session: AsyncSession, *, comment_id: str, reader_id: str,
                kind: ReactionKind, now: datetime) -> None:
    """Set the reader's one reaction to the comment (replacing a different one)."""
    await _visible(session, comment_id, ("approved",))
    await _active(session, reader_id, now)
    inserted = await insert_once(session, Reaction, {
        "comment_id": comment_id, "reader_id": reader_id, "kind": kind, "created_at": now})
    if inserted:  # counted atomically: concurrent reactions never lose an increment
        await session.execute(sa.update(Comment).where(Comment.comment_id == comment_id)
                              .values(reactions_total=Comment.reactions_total + 1))
    else:
        await session.execute(
            sa.update(Reaction)
            .where(Reaction.comment_id == comment_id, Reaction.reader_id == reader_id)
            .values(kind=kind, created_at=now))


async def unreact(session: AsyncSession, *, comment_id: str, reader_id: str) -> None:
    result = await session.execute(sa.delete(Reaction).where(
        Reaction.comment_id == comment_id, Reaction.reader_id == reader_id))
    if result.rowcount:  # type: ignore[attr-defined]
        await session.execute(sa.update(Comment).where(Comment.comment_id == comment_id)
                              .values(reactions_total=Comment.reactions_total - 1))


async def report(tx: Transaction, *, comment_id: str, reader_id: str, reason: ReportReason,
                 note: str | None, hold_threshold: int, now: datetime) -> bool:
    """Record one report per reader; enough open reports take the comment off the page
    until a moderator looks. Returns whether this report did that."""
    session = tx.session
    comment = await _visible(session, comment_id)
    await _active(session, reader_id, now)
    if comment.author_id == reader_id:
        raise Forbidden("own-comment", "You cannot report your own comment.")
    if not await insert_once(session, Report, {
        "comment_id": comment_id, "reader_id": reader_id, "reason": reason, "note": note,
        "created_at": now,
    }):
        raise Conflict("already-reported", "You have already reported this comment.")
    open_reports = (await session.execute(
        sa.update(Comment).where(Comment.comment_id == comment_id)
        .values(reports_open=Comment.reports_open + 1).returning(Comment.reports_open)
    )).scalar_one()
    if comment.status == "approved" and open_reports >= hold_threshold:
        comment.status, comment.reason = "pending", "reported"
        await tx.emit(COMMENTS, moderated_event(comment, "pending", "reported"))
        return True
    return False
