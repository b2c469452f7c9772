"""The hand-built page JSON is byte for byte what pydantic writes for a CommentPage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from wirestream.comments.api.context import page_json
from wirestream.comments.api.schemas import CommentOut, CommentPage
from wirestream.comments.listing import PageRow
from wirestream.comments.text import render_comment


def _row(i: int, **kw: object) -> PageRow:
    fields: dict[str, object] = {
        "comment_id": f"c{i}", "article_id": "art1", "parent_id": None if i % 2 else "c0",
        "author": "Layla \u0644\u064a\u0644\u0649 \"quoted\"", "status": "approved",
        "body": f"Line one\nwith <b>tags</b>, **bold**, \u2028 and \U0001f44d #{i}",
        "created_at": datetime(2026, 3, 1, 12, 0, i, 123456 if i % 3 else 0),  # naive
        "edited_at": None, "featured": i % 4 == 0, "reactions_total": i % 3,
    }
    return PageRow(**(fields | kw))  # type: ignore[arg-type]


def test_matches_pydantic() -> None:
    east = timezone(timedelta(hours=3))
    rows = [_row(i) for i in range(6)] + [
        _row(7, created_at=datetime(2026, 3, 1, 15, 0, tzinfo=east),
             edited_at=datetime(2026, 3, 1, 12, 5, 0, 5, tzinfo=UTC)),
    ]
    counts = {"c1": {"like": 2, "love": 1}, "c7": {"sad": 1}}
    expected = CommentPage(comments=[CommentOut(
        comment_id=r.comment_id, article_id=r.article_id, parent_id=r.parent_id,
        author=r.author, body=r.body, body_html=render_comment(r.body), status=r.status,
        created_at=r.created_at, edited_at=r.edited_at, featured=r.featured,
        reactions_total=r.reactions_total, reactions=counts.get(r.comment_id, {}),
    ) for r in rows], next_cursor="abc").model_dump_json().encode()
    assert page_json(rows, counts, "abc", render=render_comment) == expected
    assert page_json([], {}, None, render=render_comment) == (
        CommentPage(comments=[], next_cursor=None).model_dump_json().encode())


def test_a_posted_comment_matches_pydantic() -> None:
    """The 201 of a new comment is built by hand too: same bytes as ``CommentOut``."""
    from wirestream.comments.api.context import comment_json
    from wirestream.comments.api.schemas import ModerationNote
    from wirestream.comments.models import Comment

    for created, note in (
        (datetime(2026, 3, 1, 12, 0, 1, 123456, tzinfo=UTC), None),
        (datetime(2026, 3, 1, 12, 0, 2), ModerationNote(  # naive (SQLite's)
            reason="suspect-word", explanation="\u0645\u0639\u0644\u0651\u0642 \"held\"")),
        (datetime(2026, 3, 1, 15, 0, tzinfo=timezone(timedelta(hours=3))),
         ModerationNote(reason=None, explanation="Waiting for a moderator.")),
    ):
        c = Comment(comment_id="c1", article_id="art1", parent_id="c0", author_id="anon:x",
                    author="Layla \u0644\u064a\u0644\u0649", status="pending",
                    body="Line one\nwith <b>tags</b>, \u2028 and \U0001f44d", created_at=created,
                    edited_at=None, featured=False, reactions_total=0)
        expected = CommentOut(
            comment_id=c.comment_id, article_id=c.article_id, parent_id=c.parent_id,
            author=c.author, body=c.body, body_html=render_comment(c.body), status=c.status,
            created_at=c.created_at, edited_at=None, featured=False, reactions_total=0,
            moderation=note).model_dump_json().encode()
        assert comment_json(c, render=render_comment, moderation=note) == expected
