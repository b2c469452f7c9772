"""Two replicas sharing one database put the same event in the same story."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wirestream.common.migrations import migrated_sessions
from wirestream.enrich.main import MIGRATIONS
from wirestream.enrich.models import StoryMember
from wirestream.enrich.stories_store import StoryBook

from .items import RT_CALL, XINHUA_CALL, article

CALL = {"person:vladimir-putin", "person:xi-jinping", "place:RU", "place:CN", "place:UA"}


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with migrated_sessions(database_url, MIGRATIONS) as sessions:
        yield sessions


def book() -> StoryBook:
    return StoryBook(window=timedelta(hours=48))


async def place(sessions: async_sessionmaker[AsyncSession], b: StoryBook, item: dict,
                minutes: float, *, fail: bool = False) -> tuple[str, str]:
    a = article(item, minutes)
    try:
        async with sessions() as session, session.begin():
            await b.begin(session, [a.article_id])
            story, _ = await b.place(session, a, text=a.body_html, tag_ids=CALL,
                                     language=a.language or "", now=datetime.now(UTC))
            await b.finish(session)
            if fail:
                raise RuntimeError("the batch fails after placing")
    except RuntimeError:
        b.invalidate()
    return a.article_id, story


async def test_a_replica_replays_what_another_one_placed(sessions) -> None:  # type: ignore[no-untyped-def]
    one, two = book(), book()
    # Both have loaded their (empty) cache before either places anything.
    await place(sessions, one, {**RT_CALL, "agency": "warm-up"}, -10_000)
    await place(sessions, two, {**RT_CALL, "agency": "warm-up"}, -10_000)
    _, story = await place(sessions, one, RT_CALL, 0)
    _, joined = await place(sessions, two, XINHUA_CALL, 60)
    assert joined == story != "story:"


async def test_a_failed_batch_is_forgotten_by_the_cache(sessions) -> None:  # type: ignore[no-untyped-def]
    b = book()
    rolled_back, _ = await place(sessions, b, RT_CALL, 0, fail=True)
    xh, story = await place(sessions, b, XINHUA_CALL, 60)
    assert story == f"story:{xh}"  # nothing to join: the first one never committed
    async with sessions() as session:
        ids = set(await session.scalars(sa.select(StoryMember.article_id)))
    assert rolled_back not in ids and xh in ids
