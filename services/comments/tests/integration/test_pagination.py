"""Keyset pagination walks 1,000 comments in every order without a gap or a repeat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wirestream.comments.models import Comment

from .conftest import Harness, MakeHarness

N = 1000


async def _seed(h: Harness, article: str) -> list[Comment]:
    """1,000 approved comments, many sharing a timestamp, plus some that must not show."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [Comment(comment_id=f"c{i:04d}{'x' * (i % 3)}", article_id=article, author="r",
                    author_id="r", body=f"comment {i}", status="approved",
                    created_at=base + timedelta(seconds=i // 7),  # runs of 7 ties
                    reactions_total=i % 5)
            for i in range(N)]
    hidden = [Comment(comment_id=f"h{i}", article_id=article, author="r", author_id="r",
                      body="hidden", status=status, created_at=base)
              for i, status in enumerate(("pending", "rejected", "deleted"))]
    async with h.runtime.transaction() as tx:
        tx.session.add_all(rows + hidden)
    return rows


async def _walk(h: Harness, article: str, sort: str, limit: int) -> list[str]:
    ids: list[str] = []
    cursor = None
    for _ in range(N):  # bounded: a cursor that never ends fails the test
        params = {"sort": sort, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        page = (await h.client.get(f"/v1/articles/{article}/comments", params=params)).json()
        ids += [c["comment_id"] for c in page["comments"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("sort", ["newest", "oldest", "reacted"])
async def test_every_comment_once_in_order(h: Harness, sort: str) -> None:
    article = await h.open_article()
    rows = await _seed(h, article)
    key = {
        "newest": lambda c: (c.created_at, c.comment_id),
        "oldest": lambda c: (c.created_at, c.comment_id),
        "reacted": lambda c: (c.reactions_total, c.created_at, c.comment_id),
    }[sort]
    expected = [c.comment_id for c in sorted(rows, key=key, reverse=sort != "oldest")]
    assert await _walk(h, article, sort, 37) == expected


async def test_a_cursor_belongs_to_its_sort_order(h: Harness) -> None:
    article = await h.open_article()
    await _seed(h, article)
    page = (await h.client.get(f"/v1/articles/{article}/comments?limit=5")).json()
    r = await h.client.get(f"/v1/articles/{article}/comments",
                           params={"sort": "reacted", "cursor": page["next_cursor"]})
    assert r.status_code == 400 and r.json()["type"].endswith("/invalid-cursor")


async def test_the_first_page_shows_a_new_comment_at_once(make_harness: MakeHarness) -> None:
    h = await make_harness(page_cache_s=30)
    article = await h.open_article()
    url = f"/v1/articles/{article}/comments"
    assert (await h.client.get(url)).json()["comments"] == []
    first = await h.post(article, "Posted after the page was cached.")
    assert first.status_code == 201
    page = (await h.client.get(url)).json()["comments"]
    assert [c["comment_id"] for c in page] == [first.json()["comment_id"]]
    key = await h.staff_key()
    r = await h.client.post(f"/v1/moderation/comments/{page[0]['comment_id']}/delete",
                            json={"reason": "test"}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    assert (await h.client.get(url)).json()["comments"] == []
