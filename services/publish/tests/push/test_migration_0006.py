"""Migration 0006 copies each tagged article's language and publication time into
``article_tags`` (for the related-articles index), for the rows already there."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa

from wirestream.common.db import create_engine
from wirestream.common.migrations import upgrade
from wirestream.publish.main import MIGRATIONS


async def test_existing_tags_get_their_articles_language_and_time(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS, "0005")
    engine = create_engine(database_url)
    at = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    try:
        async with engine.begin() as conn:
            for article_id, language in (("a-en", "en"), ("a-ar", "ar")):
                await conn.execute(sa.text(
                    "INSERT INTO articles (article_id, version, language, headline, url, state, "
                    "data, published_at, updated_at) VALUES (:a, 1, :l, 'h', :u, 'live', '{}', "
                    ":t, :t)"), {"a": article_id, "l": language, "u": f"/{article_id}", "t": at})
                await conn.execute(sa.text(
                    "INSERT INTO article_tags (article_id, tag_id) VALUES (:a, 'place:cairo')"),
                    {"a": article_id})
        await asyncio.to_thread(upgrade, database_url, MIGRATIONS)
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.text(
                "SELECT article_id, language, published_at FROM article_tags "
                "ORDER BY article_id"))).all()
    finally:
        await engine.dispose()
    assert [(r[0], r[1]) for r in rows] == [("a-ar", "ar"), ("a-en", "en")]
    assert all(r[2] is not None for r in rows)
    for _id, _language, value in rows:
        stored = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)) == at
