"""Polls on articles: an editor asks, readers vote once each, results until and after close.

A voter is a reader (token or login) or, for readers without one, a random
id the site keeps per browser. That is a soft limit (clearing storage gives a
new id), which is why votes are also rate-limited per address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import PollOption, PollUpdated, new_id
from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS

from .articles import live_article
from .errors import Conflict, Invalid, NotFound
from .models import Poll, PollVote, utc
from .sql import insert_once
from .staff import Staff, audit


@dataclass(frozen=True)
class Results:
    poll: Poll
    counts: list[int]
    closed: bool

    @property
    def total(self) -> int:
        return sum(self.counts)


async def create_poll(tx: Transaction, staff: Staff, article_id: str, *, question: str,
                      options: list[str], closes_at: datetime, now: datetime) -> Poll:
    session = tx.session
    await live_article(session, article_id)
    if utc(closes_at) <= now:
        raise Invalid("closes-in-past", "closes_at must be in the future.", pointer="/closes_at")
    if len({" ".join(o.casefold().split()) for o in options}) != len(options):
        raise Invalid("duplicate-options", "Options must differ.", pointer="/options")
    poll = Poll(poll_id=new_id()[:24], article_id=article_id, question=question,
                options=options, closes_at=utc(closes_at), created_by=staff.name,
                created_at=now)
    session.add(poll)
    audit(session, staff, "create-poll", "poll", poll.poll_id, now=now,
          detail={"article_id": article_id, "question": question})
    await announce(tx, poll, now=now)
    return poll


async def _poll(session: AsyncSession, poll_id: str) -> Poll:
    poll = await session.get(Poll, poll_id)
    if poll is None:
        raise NotFound("no-such-poll", "No such poll.", pointer="/poll_id")
    return poll


async def close_poll(tx: Transaction, staff: Staff, poll_id: str, *,
                     now: datetime) -> Poll:
    """Close a poll early (its results stay readable)."""
    poll = await _poll(tx.session, poll_id)
    if utc(poll.closes_at) > now:
        poll.closes_at = now
    audit(tx.session, staff, "close-poll", "poll", poll_id, now=now)
    await announce(tx, poll, now=now)
    return poll


async def vote(session: AsyncSession, poll_id: str, *, voter_key: str, option: int,
               now: datetime) -> None:
    poll = await _poll(session, poll_id)
    if utc(poll.closes_at) <= now:
        raise Conflict("poll-closed", "This poll is closed.")
    if not 0 <= option < len(poll.options):
        raise Invalid("no-such-option", "No such option.", pointer="/option")
    if not await insert_once(session, PollVote, {
        "poll_id": poll_id, "voter_key": voter_key, "option": option, "created_at": now,
    }):
        raise Conflict("already-voted", "You have already voted in this poll.")
    # Announced by poll_updates.announce_pending, coalesced with the other votes.
    await session.execute(sa.update(Poll).where(Poll.poll_id == poll_id)
                          .values(unannounced=Poll.unannounced + 1)
                          .execution_options(synchronize_session=False))


async def results(session: AsyncSession, poll_id: str, *, now: datetime) -> Results:
    poll = await _poll(session, poll_id)
    return (await tally(session, [poll], now=now))[0]


async def article_polls(session: AsyncSession, article_id: str, *,
                        now: datetime) -> list[Results]:
    polls = list(await session.scalars(
        sa.select(Poll).where(Poll.article_id == article_id).order_by(Poll.created_at)))
    return await tally(session, polls, now=now)


async def tally(session: AsyncSession, polls: list[Poll], *, now: datetime) -> list[Results]:
    counts: dict[tuple[str, int], int] = {}
    if polls:
        rows = await session.execute(
            sa.select(PollVote.poll_id, PollVote.option, sa.func.count())
            .where(PollVote.poll_id.in_([p.poll_id for p in polls]))
            .group_by(PollVote.poll_id, PollVote.option))
        counts = {(pid, opt): int(n) for pid, opt, n in rows}
    return [Results(p, [counts.get((p.poll_id, i), 0) for i in range(len(p.options))],
                    closed=utc(p.closes_at) <= now) for p in polls]


def poll_event(r: Results, *, now: datetime) -> PollUpdated:
    p = r.poll
    return PollUpdated(
        poll_id=p.poll_id, article_id=p.article_id, question=p.question,
        options=tuple(PollOption(option_id=str(i), label=label, votes=r.counts[i])
                      for i, label in enumerate(p.options)),
        closes_at=utc(p.closes_at), closed=r.closed, occurred_at=now,
    )


async def announce(tx: Transaction, poll: Poll, *, now: datetime) -> None:
    """Emit ``poll``'s current results now (it was created or closed)."""
    await tx.session.flush()  # a new poll's row first, for the count query
    (results,) = await tally(tx.session, [poll], now=now)
    poll.announced_closed = results.closed
    await tx.emit(COMMENTS, poll_event(results, now=now))
