"""Readers' comments and poll results, as the comments service announces them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import CommentModerated, CommentPosted, PollUpdated

from .models import ShownComment, ShownPoll
from .render.views import as_utc


async def apply_comment(session: AsyncSession,
                        event: CommentPosted | CommentModerated) -> bool:
    """Record the comment's state; True when what the article page shows changed."""
    row = await session.get(ShownComment, event.comment_id)
    if row is None:
        if isinstance(event, CommentModerated):
            if event.body is None or event.status != "approved":
                return False  # nothing to show (or a decision on a comment never seen)
            row = ShownComment(comment_id=event.comment_id, article_id=event.article_id,
                               author=event.author or "", body=event.body, status=event.status,
                               posted_at=event.posted_at or event.occurred_at,
                               featured=_featured(event, was=False))
        else:
            row = ShownComment(comment_id=event.comment_id, article_id=event.article_id,
                               parent_id=event.parent_id, author=event.author, body=event.body,
                               status=event.status, posted_at=event.posted_at, featured=False)
        row.as_of = event.occurred_at
        session.add(row)
        return row.status == "approved"
    if isinstance(event, CommentPosted):
        return False  # delivered again; the moderation decision may be newer
    if row.as_of is not None and as_utc(event.occurred_at) < as_utc(row.as_of):
        return False  # redelivered after a newer decision (a retried or claimed entry)
    row.as_of = event.occurred_at
    was_visible = row.status == "approved"
    row.status = event.status
    if event.body is not None:
        row.body = event.body  # an edit, or the text as it is now
    row.featured = _featured(event, was=row.featured)
    return was_visible or event.status == "approved"


def _featured(event: CommentModerated, *, was: bool) -> bool:
    """Featured until unfeatured, or until it is no longer approved."""
    if event.status != "approved":
        return False
    if event.featured is not None:
        return event.featured
    # Senders that do not set ``featured`` name featuring in the reason.
    return {"featured": True, "unfeatured": False}.get(event.reason or "", was)


async def apply_poll(session: AsyncSession, event: PollUpdated) -> bool:
    """Record the poll's current results unless a newer update is already stored."""
    row = await session.get(ShownPoll, event.poll_id)
    if row is not None and as_utc(row.as_of) >= as_utc(event.occurred_at):
        return False
    if row is None:
        row = ShownPoll(poll_id=event.poll_id, article_id=event.article_id)
        session.add(row)
    row.question, row.closes_at, row.closed = event.question, event.closes_at, event.closed
    row.options = [o.model_dump() for o in event.options]
    row.as_of = event.occurred_at
    return True
