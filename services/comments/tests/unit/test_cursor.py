"""Cursors: opaque, tied to one sort order, exact to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirestream.comments.listing import InvalidCursor, decode_cursor, encode_cursor
from wirestream.comments.models import Comment

SORTS = ("newest", "oldest", "reacted")


@given(
    sort=st.sampled_from(SORTS),
    at=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1),
                    timezones=st.just(UTC)),
    cid=st.text(alphabet="abcdef0123456789_-", min_size=1, max_size=64),
    total=st.integers(min_value=0, max_value=10**9),
)
def test_round_trip(sort: str, at: datetime, cid: str, total: int) -> None:
    c = Comment(comment_id=cid, created_at=at, reactions_total=total)
    got_total, got_at, got_id = decode_cursor(sort, encode_cursor(sort, c))  # type: ignore[arg-type]
    assert (got_at, got_id) == (at, cid)
    assert got_total == (total if sort == "reacted" else None)


def test_naive_database_times_are_utc() -> None:
    naive = datetime(2026, 5, 1, 12, 0, 0, 123456)
    c = Comment(comment_id="c1", created_at=naive, reactions_total=0)
    assert decode_cursor("newest", encode_cursor("newest", c))[1] == naive.replace(tzinfo=UTC)


@pytest.mark.parametrize("cursor", ["", "%%%", "bm9wZQ", "eHx5fHo", "\u0661\u0662"])
def test_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor("newest", cursor)


def test_a_cursor_is_for_one_sort_order() -> None:
    c = Comment(comment_id="c1", created_at=datetime.now(UTC) - timedelta(days=1),
                reactions_total=3)
    with pytest.raises(InvalidCursor):
        decode_cursor("oldest", encode_cursor("newest", c))
    with pytest.raises(InvalidCursor):
        decode_cursor("reacted", encode_cursor("newest", c))
