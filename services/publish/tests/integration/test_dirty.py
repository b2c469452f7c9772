"""Dirty keys and page generations: what keeps replicas from losing or regressing a render."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wirestream.publish import dirty
from wirestream.publish.keys import Key
from wirestream.publish.models import Page
from wirestream.publish.pagestore import PageOut, save_pages

NOW = datetime(2026, 1, 1, tzinfo=UTC)
HOME = Key("home", "en")


async def _mark(sessions: async_sessionmaker[AsyncSession], *keys: Key) -> dict[str, int]:
    async with sessions() as s, s.begin():
        return await dirty.mark(s, keys, now=NOW, seqs=True)


async def test_a_key_marked_while_it_renders_stays_dirty(sessions) -> None:  # type: ignore[no-untyped-def]
    assert await _mark(sessions, HOME) == {"home:en": 1}
    assert await _mark(sessions, HOME, Key("sitemap")) == {"home:en": 2, "sitemap": 1}
    claimed = await dirty.claim(sessions, now=NOW, limit=10, lease_s=30)
    assert claimed == {"home:en": 2, "sitemap": 1}
    assert await dirty.claim(sessions, now=NOW, limit=10, lease_s=30) == {}  # leased
    await _mark(sessions, HOME)  # a change lands mid-render
    async with sessions() as s, s.begin():
        await dirty.finish(s, claimed)
    async with sessions() as s:
        assert await dirty.backlog(s) == 1
    assert await dirty.claim(sessions, now=NOW, limit=10, lease_s=30) == {"home:en": 3}


async def test_an_expired_lease_is_claimed_again(sessions) -> None:  # type: ignore[no-untyped-def]
    await _mark(sessions, HOME)
    assert await dirty.claim(sessions, now=NOW, limit=10, lease_s=30) == {"home:en": 1}
    later = NOW + timedelta(seconds=31)
    assert await dirty.claim(sessions, now=later, limit=10, lease_s=30) == {"home:en": 1}


async def test_concurrent_claims_share_out_the_keys(sessions) -> None:  # type: ignore[no-untyped-def]
    await _mark(sessions, *(Key("tag", "en", f"t{n}") for n in range(20)))
    a, b = await asyncio.gather(*(dirty.claim(sessions, now=NOW, limit=12, lease_s=30)
                                  for _ in range(2)))
    assert not set(a) & set(b)
    assert len(a) + len(b) == 20


async def test_an_older_render_never_overwrites_a_newer_one(sessions) -> None:  # type: ignore[no-untyped-def]
    async def store(body: str, seq: int, at: datetime) -> None:
        async with sessions() as s, s.begin():
            await save_pages(s, [(PageOut("/en/", body), seq)], now=at)

    async def stored() -> Page:
        async with sessions() as s:
            return (await s.scalars(sa.select(Page).where(Page.path == "/en/"))).one()

    await store("new", 5, NOW)
    await store("old", 4, NOW + timedelta(seconds=1))
    page = await stored()
    assert (page.body, page.seq) == ("new", 5)
    await store("new", 6, NOW + timedelta(seconds=2))  # same bytes: Last-Modified stays
    page = await stored()
    assert page.seq == 6 and page.last_modified.replace(tzinfo=UTC) == NOW
