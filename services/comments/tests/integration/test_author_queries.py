"""What a comment batch reads about its authors: the right answers on both databases,
and on SQLite by way of the author index (not every approved comment of the site)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from wirestream.comments import readers
from wirestream.comments.main import MIGRATIONS
from wirestream.comments.models import Comment, Reader
from wirestream.common.db import create_engine
from wirestream.common.migrations import upgrade


async def _seeded(database_url: str) -> tuple[AsyncEngine, datetime]:
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS)
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(sa.insert(Reader), [
            {"reader_id": rid, "display_name": rid, "kind": "anonymous", "status": "active",
             "created_at": now} for rid in ("busy", "held", "fresh")])
        rows = [{"comment_id": f"b{i}", "article_id": "a", "author_id": "busy", "author": "B",
                 "body": f"busy {i}", "status": "approved",
                 "created_at": now - timedelta(minutes=i)} for i in range(12)]
        rows += [{"comment_id": "h0", "article_id": "a", "author_id": "held", "author": "H",
                  "body": "held one", "status": "pending", "created_at": now},
                 {"comment_id": "h1", "article_id": "a", "author_id": "held", "author": "H",
                  "body": "refused one", "status": "rejected", "created_at": now},
                 {"comment_id": "h2", "article_id": "a", "author_id": "held", "author": "H",
                  "body": "two days ago", "status": "approved",
                  "created_at": now - timedelta(days=2)}]
        await conn.execute(sa.insert(Comment), rows)
    return engine, now


async def test_counts_and_recent_bodies(database_url: str) -> None:
    engine, now = await _seeded(database_url)
    async with engine.connect() as conn:
        known = await readers.known_readers(conn, ["busy", "held", "fresh", "nobody"], cap=5)
        recent = await readers.recent_bodies_of(conn, ["busy", "held", "fresh"], now=now,
                                                limit=3)
    await engine.dispose()
    assert {rid: row.approved for rid, row in known.items()} == {
        "busy": 5, "held": 1, "fresh": 0}  # capped; pending and rejected do not count
    assert recent == {"busy": ["busy 0", "busy 1", "busy 2"], "held": ["held one"]}


async def test_sqlite_walks_the_author_index(tmp_path: object) -> None:
    engine, now = await _seeded(f"sqlite+aiosqlite:///{tmp_path}/plan.db")
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    async with engine.connect() as conn:
        await readers.known_readers(conn, ["busy", "held"], cap=1)
        await readers.recent_bodies_of(conn, ["busy", "held"], now=now, limit=10)
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        plans = [" / ".join(str(row[-1]) for row in await conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", params)) for statement, params in seen]
    await engine.dispose()
    assert len(plans) == 2
    for plan in plans:
        assert "ix_comments_author" in plan and "ix_comments_queue" not in plan, plan
