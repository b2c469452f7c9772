"""The schema upgrade keeps comments written under the first schema."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa

from wirestream.comments.main import MIGRATIONS
from wirestream.common.db import create_engine
from wirestream.common.migrations import upgrade


async def test_upgrade_from_the_first_schema_keeps_rows(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS, "0001")
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(sa.text(
            "INSERT INTO articles (article_id, url, open, updated_at) VALUES ('a1', 'u', :t, :n)"
        ), {"t": True, "n": now})
        await conn.execute(sa.text(
            "INSERT INTO comments (comment_id, article_id, author, body, status, created_at) "
            "VALUES ('c1', 'a1', 'Old', 'Old body', 'approved', :n)"), {"n": now})
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS)
    async with engine.connect() as conn:
        row = (await conn.execute(sa.text(
            "SELECT author_id, featured, reactions_total, reports_open, status FROM comments"
        ))).one()
        closed = (await conn.execute(sa.text("SELECT closed FROM articles"))).scalar_one()
    await engine.dispose()
    assert (row.author_id, bool(row.featured), row.reactions_total, row.reports_open,
            row.status) == ("", False, 0, 0, "approved")
    assert not closed


async def test_upgrade_gives_earlier_authors_a_reader_row(database_url: str) -> None:
    """Posting counts a reader's approved comments with its row: an author from
    before the readers table must not lose them (and be held as a new reader)."""
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS, "0004")
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(sa.text(
            "INSERT INTO readers (reader_id, display_name, kind, status, created_at) "
            "VALUES ('anon:has', 'Has a row', 'anonymous', 'active', :n)"), {"n": now})
        for cid, author_id, author in (("c1", "anon:old", "Old"), ("c2", "anon:old", "Old"),
                                       ("c3", "jwt:42", "Login"), ("c4", "anon:has", "X"),
                                       ("c5", "", "First schema")):
            await conn.execute(sa.text(
                "INSERT INTO comments (comment_id, article_id, author_id, author, body, status,"
                " created_at) VALUES (:c, 'a1', :a, :name, 'Old body', 'approved', :n)"),
                {"c": cid, "a": author_id, "name": author, "n": now})
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS)
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.text(
            "SELECT reader_id, display_name, kind, status FROM readers ORDER BY reader_id"
        ))).all()
    await engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("anon:has", "Has a row", "anonymous", "active"),
        ("anon:old", "Old", "anonymous", "active"),
        ("jwt:42", "Login", "jwt", "active"),
    ]
