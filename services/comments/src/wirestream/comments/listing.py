"""Reading an article's approved comments: three sort orders, keyset pagination.

Each order walks one index from where the previous page stopped, so page 200
costs what page 1 costs. The cursor is opaque to clients: it names its sort
order and holds the last row's sort key.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import CommentsError
from .models import INT_MAX, Comment, Reaction, utc

Sort = Literal["newest", "oldest", "reacted"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_MIN_MICROS = (datetime(1, 1, 1, tzinfo=UTC) - _EPOCH) // _US
_MAX_MICROS = (datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC) - _EPOCH) // _US
_ID_CHARS = Comment.__table__.c.comment_id.type.length
_INTEGER = re.compile(r"-?[0-9]{1,20}")


class InvalidCursor(CommentsError):
    title = "Invalid cursor"

    def __init__(self) -> None:
        super().__init__("invalid-cursor", "The cursor is malformed or from another sort order.",
                         pointer="/cursor")


# What a page shows (rows, not ORM objects: nothing to track, a third of the cost).
_PAGE_COLUMNS = tuple(getattr(Comment, name) for name in (
    "comment_id", "article_id", "parent_id", "author", "body", "status", "created_at",
    "edited_at", "featured", "reactions_total"))


@dataclass(frozen=True)
class Page:
    comments: list[Any]  # rows with the _PAGE_COLUMNS attributes
    next_cursor: str | None


def encode_cursor(sort: Sort, c: Any) -> str:
    micros = (utc(c.created_at) - _EPOCH) // _US
    parts = [sort[0], str(micros), c.comment_id]
    if sort == "reacted":
        parts.insert(1, str(c.reactions_total))
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode().rstrip("=")


def decode_cursor(sort: Sort, cursor: str) -> tuple[int | None, datetime, str]:
    """``(reactions_total or None, created_at, comment_id)``; InvalidCursor when mangled.

    Every part is checked against what its column can hold (ASCII digits, an
    INTEGER total, a real timestamp, an id no longer than the column), so a
    forged cursor is a 400 here rather than an overflow in the database driver.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = raw.split("|")
        if parts[0] != sort[0] or len(parts) != (4 if sort == "reacted" else 3):
            raise ValueError(raw)
        total = _number(parts[1], 0, INT_MAX) if sort == "reacted" else None
        micros, cid = _number(parts[-2], _MIN_MICROS, _MAX_MICROS), parts[-1]
        if not 0 < len(cid) <= _ID_CHARS:
            raise ValueError(cid)
        return total, _EPOCH + micros * _US, cid
    except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError) as exc:
        raise InvalidCursor() from exc


def _number(text: str, low: int, high: int) -> int:
    if not _INTEGER.fullmatch(text):  # int() would also take "1_0", " 3" and "٣"
        raise ValueError(text)
    value = int(text)
    if not low <= value <= high:
        raise ValueError(text)
    return value


async def list_comments(session: AsyncSession, article_id: str, *, sort: Sort = "newest",
                        limit: int, cursor: str | None = None) -> Page:
    """One page of approved comments (top-level and replies, each with its ``parent_id``)."""
    c = Comment
    q = sa.select(*_PAGE_COLUMNS).where(c.article_id == article_id, c.status == "approved")
    if sort == "reacted":
        keys: tuple[Any, ...] = (c.reactions_total, c.created_at, c.comment_id)
    else:
        keys = (c.created_at, c.comment_id)
    if cursor:
        total, at, cid = decode_cursor(sort, cursor)
        after = (at, cid) if total is None else (total, at, cid)
        row, bound = sa.tuple_(*keys), sa.tuple_(*after)
        q = q.where(row > bound if sort == "oldest" else row < bound)
    order = [k.asc() if sort == "oldest" else k.desc() for k in keys]
    rows = list((await session.execute(q.order_by(*order).limit(limit + 1))).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(sort, rows[-1]) if more and rows else None)


async def reaction_counts(session: AsyncSession,
                          comments: Sequence[Any]) -> dict[str, dict[str, int]]:
    """``{comment_id: {kind: count}}`` for the comments that have any reactions."""
    ids = [c.comment_id for c in comments if c.reactions_total > 0]
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if not ids:
        return counts
    rows = await session.execute(
        sa.select(Reaction.comment_id, Reaction.kind, sa.func.count())
        .where(Reaction.comment_id.in_(ids)).group_by(Reaction.comment_id, Reaction.kind)
    )
    for comment_id, kind, n in rows:
        counts[comment_id][kind] = int(n)
    return counts
