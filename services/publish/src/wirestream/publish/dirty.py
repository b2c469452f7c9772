"""Marking groups of pages dirty in the change's transaction, and claiming them to render.

A change marks the keys of every page it affects (``seq + 1``) in the same
transaction as the change, so a crash can lose no re-render. The builder
claims dirty keys with a short lease, renders them from committed state and
stores the pages with the ``seq`` it claimed: a store never overwrites a page
rendered from a later ``seq`` (see :func:`wirestream.publish.pagestore.save_pages`),
and a key marked again while it was being rendered stays dirty.

Lock order, which keeps concurrent replicas free of deadlocks: dirty rows in key
order (every ``article:`` key first), then the pages of keys already held.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .keys import Key
from .models import DirtyKey

T: sa.Table = DirtyKey.__table__  # type: ignore[assignment]


def upsert(session: AsyncSession):  # type: ignore[no-untyped-def]
    """The dialect's ``INSERT`` with ``ON CONFLICT`` support."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def mark(session: AsyncSession, keys: Iterable[Key], *, now: datetime,
               seqs: bool = False) -> dict[str, int]:
    """Record a change to each key; with ``seqs``, returns each key's new ``seq``."""
    texts = sorted({k.text for k in keys})
    if not texts:
        return {}
    stmt = upsert(session)(T).on_conflict_do_update(
        index_elements=[T.c.key], set_={"seq": T.c.seq + 1, "marked_at": now})
    await session.execute(stmt, [{"key": k, "seq": 1, "built_seq": 0, "marked_at": now}
                                 for k in texts])
    if not seqs:
        return {}
    return dict((await session.execute(  # rows this transaction holds: no one else moved them
        sa.select(T.c.key, T.c.seq).where(T.c.key.in_(texts)))).all())


async def finish(session: AsyncSession, seqs: dict[str, int]) -> None:
    """Record that the pages of each key now show change ``seq``; release the lease."""
    if not seqs:
        return
    seq = sa.bindparam("b_seq", type_=sa.BigInteger)
    stmt = T.update().where(T.c.key == sa.bindparam("b_key")).values(
        built_seq=sa.case((T.c.built_seq < seq, seq), else_=T.c.built_seq), lease_until=None)
    await session.execute(stmt, [{"b_key": k, "b_seq": seqs[k]} for k in sorted(seqs)])


async def claim(sessions: async_sessionmaker[AsyncSession], *, now: datetime, limit: int,
                lease_s: float) -> dict[str, int]:
    """Lease up to ``limit`` dirty keys, oldest change first; returns key -> claimed seq."""
    pending = (
        sa.select(T.c.key).where(T.c.seq > T.c.built_seq,
                                 sa.or_(T.c.lease_until.is_(None), T.c.lease_until < now))
        .order_by(T.c.marked_at).limit(limit).with_for_update(skip_locked=True)
    )
    stmt = (T.update().where(T.c.key.in_(pending.scalar_subquery()))
            .values(lease_until=now + timedelta(seconds=lease_s))
            .returning(T.c.key, T.c.seq))
    async with sessions() as session, session.begin():
        return {key: seq for key, seq in (await session.execute(stmt)).all()}


async def backlog(session: AsyncSession) -> int:
    return int(await session.scalar(
        sa.select(sa.func.count()).select_from(T).where(T.c.seq > T.c.built_seq)) or 0)
