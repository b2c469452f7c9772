"""Moderators at work: the queues, decisions on comments and readers, article settings.

Every action is audited in the same transaction as the change, and every
change the site shows emits ``CommentModerated`` through the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS

from . import articles, readers
from .errors import Conflict, NotFound
from .listing import decode_cursor, encode_cursor
from .models import Comment, KnownArticle, Reader, Report
from .moderation import ReaderStatus
from .service import moderated_event
from .staff import Staff, audit

Queue = Literal["pending", "reported"]
Decision = Literal["approve", "reject", "delete"]
_STATUS = {"approve": "approved", "reject": "rejected", "delete": "deleted"}


async def queue(session: AsyncSession, kind: Queue, *, limit: int,
                cursor: str | None = None) -> tuple[list[Comment], str | None]:
    """Oldest first: held comments, or visible and held ones with open reports."""
    q = sa.select(Comment)
    if kind == "pending":
        q = q.where(Comment.status == "pending")
    else:
        q = q.where(Comment.reports_open > 0, Comment.status.in_(("approved", "pending")))
    if cursor:
        _, at, cid = decode_cursor("oldest", cursor)
        q = q.where(sa.tuple_(Comment.created_at, Comment.comment_id) > sa.tuple_(at, cid))
    q = q.order_by(Comment.created_at, Comment.comment_id).limit(limit + 1)
    rows = list((await session.scalars(q)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor("oldest", rows[-1]) if more and rows else None


async def open_reports(session: AsyncSession, ids: list[str]) -> dict[str, dict[str, int]]:
    """``{comment_id: {reason: count}}`` of unresolved reports."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    if ids:
        rows = await session.execute(
            sa.select(Report.comment_id, Report.reason, sa.func.count())
            .where(Report.comment_id.in_(ids), Report.resolved_at.is_(None))
            .group_by(Report.comment_id, Report.reason))
        for cid, reason, n in rows:
            out[cid][reason] = int(n)
    return out


async def _comment(session: AsyncSession, comment_id: str) -> Comment:
    comment = await session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("no-such-comment", "No such comment.", pointer="/comment_id")
    return comment


async def decide(tx: Transaction, staff: Staff, comment_id: str, decision: Decision, *,
                 reason: str | None, now: datetime) -> Comment:
    """Approve, reject or delete a comment; open reports on it are resolved."""
    session = tx.session
    comment = await _comment(session, comment_id)
    status = _STATUS[decision]
    if comment.status == "deleted" and decision != "delete":
        raise Conflict("comment-deleted", "The author deleted this comment.")
    was = comment.status
    comment.status, comment.reason = status, reason
    if status != "approved":
        comment.featured = False
    if comment.reports_open:
        await session.execute(sa.update(Report).where(
            Report.comment_id == comment_id, Report.resolved_at.is_(None)
        ).values(resolved_at=now))
        comment.reports_open = 0
    if was != status:
        await tx.emit(COMMENTS, moderated_event(comment, status, reason))
    audit(session, staff, decision, "comment", comment_id, now=now, reason=reason,
          detail={"from": was, "to": status, "article_id": comment.article_id})
    return comment


async def feature(tx: Transaction, staff: Staff, comment_id: str, *, featured: bool,
                  now: datetime) -> Comment:
    comment = await _comment(tx.session, comment_id)
    if comment.status != "approved":
        raise Conflict("not-approved", "Only approved comments can be featured.")
    if comment.featured != featured:
        comment.featured = featured
        label = "featured" if featured else "unfeatured"
        await tx.emit(COMMENTS, moderated_event(comment, "approved", label))
    audit(tx.session, staff, "feature" if featured else "unfeature", "comment", comment_id,
          now=now, detail={"article_id": comment.article_id})
    return comment


async def set_reader_status(session: AsyncSession, staff: Staff, reader_id: str,
                            status: ReaderStatus, *, until: datetime | None,
                            reason: str | None, now: datetime) -> Reader:
    """Suspend (until a time), ban, or reinstate a reader."""
    reader = await readers.set_status(session, reader_id, status, until=until)
    action = {"active": "reinstate", "suspended": "suspend", "banned": "ban"}[status.value]
    audit(session, staff, action, "reader", reader_id, now=now, reason=reason,
          detail={"until": until.isoformat() if until else None})
    return reader


async def configure_article(session: AsyncSession, staff: Staff, article_id: str, *,
                            mode: articles.Mode | Literal["default"] | None,
                            closed: bool | None, now: datetime) -> KnownArticle:
    article = await articles.configure(session, article_id, mode=mode, closed=closed, now=now)
    audit(session, staff, "configure-article", "article", article_id, now=now,
          detail={"mode": mode, "closed": closed})
    return article


async def pending_count(session: AsyncSession) -> int:
    return int(await session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(Comment.status == "pending")
    ) or 0)
