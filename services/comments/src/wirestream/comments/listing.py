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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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


class PageRow(NamedTuple):
    """What a page shows of a comment (a tuple, not an ORM object: nothing to track)."""

    comment_id: str
    article_id: str
    parent_id: str | None
    author: str
    body: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    featured: bool
    reactions_total: int


_PAGE_COLUMNS = tuple(getattr(Comment, name) for name in PageRow._fields)


@dataclass(frozen=True)
class Page:
    comments: list[PageRow]
    next_cursor: str | None
    reactions: dict[str, dict[str, int]] = field(default_factory=dict)  # {id: {kind: n}}


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


@cache
def _page_query(sort: Sort, after_cursor: bool) -> sa.Select[Any]:
    """One statement for a page and its reaction counts, built once per shape.

    The page (``limit`` + 1 rows on the sort order's index) is a CTE; each of its
    comments with reactions is joined to its ``(kind, count)`` groups, so a
    comment comes back on one row per kind (or one row with NULLs). One
    statement instead of two, and no expression building per request, is most
    of a page read's CPU: on SQLite every statement is several hand-offs to the
    driver's thread. Parameters: ``article_id``, ``limit`` and, after a cursor,
    ``total`` (reacted only), ``at`` and ``cid``.
    """
    c = Comment
    keys: tuple[Any, ...] = ((c.reactions_total,) if sort == "reacted" else ()) + (
        c.created_at, c.comment_id)
    q = sa.select(*_PAGE_COLUMNS).where(c.article_id == sa.bindparam("article_id"),
                                        c.status == "approved")
    if after_cursor:
        bound = [sa.bindparam(name, type_=key.type)
                 for name, key in zip(("total", "at", "cid")[-len(keys):], keys, strict=True)]
        row, after = sa.tuple_(*keys), sa.tuple_(*bound)
        q = q.where(row > after if sort == "oldest" else row < after)
    desc = sort != "oldest"
    page = q.order_by(*(k.desc() if desc else k.asc() for k in keys)).limit(
        sa.bindparam("limit", type_=sa.Integer())).cte("page")
    reacted = sa.select(page.c.comment_id).where(page.c.reactions_total > 0)
    counts = (sa.select(Reaction.comment_id, Reaction.kind, sa.func.count().label("n"))
              .where(Reaction.comment_id.in_(reacted))
              .group_by(Reaction.comment_id, Reaction.kind).subquery("counts"))
    page_keys = [page.c[k.key] for k in keys]
    return (sa.select(page, counts.c.kind, counts.c.n)
            .select_from(page.outerjoin(counts, counts.c.comment_id == page.c.comment_id))
            .order_by(*(k.desc() if desc else k.asc() for k in page_keys), counts.c.kind))


async def list_comments(conn: AsyncConnection | AsyncSession, article_id: str, *,
                        sort: Sort = "newest", limit: int, cursor: str | None = None) -> Page:
    """One page of approved comments (top-level and replies, each with its ``parent_id``)
    and the reaction counts of its comments, in one statement."""
    params: dict[str, Any] = {"article_id": article_id, "limit": limit + 1}
    if cursor:
        params["total"], params["at"], params["cid"] = decode_cursor(sort, cursor)
        if sort != "reacted":
            del params["total"]
    result = await conn.execute(_page_query(sort, bool(cursor)), params)
    comments: list[PageRow] = []
    reactions: dict[str, dict[str, int]] = defaultdict(dict)
    for *shown, kind, n in result:  # one row per (comment, reaction kind)
        if not comments or comments[-1].comment_id != shown[0]:
            comments.append(PageRow(*shown))
        if kind is not None:
            reactions[shown[0]][kind] = int(n)
    more = len(comments) > limit
    comments = comments[:limit]
    return Page(comments, encode_cursor(sort, comments[-1]) if more and comments else None,
                reactions)


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
