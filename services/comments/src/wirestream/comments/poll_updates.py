"""``PollUpdated``: poll results for publish, coalesced.

Creating or closing a poll early emits its event in the same transaction.
A vote only raises the poll's ``unannounced`` count (in the vote's own
transaction, so no vote can be missed); :func:`announce_pending`, run every
``poll_announce_s`` by each replica, emits one event with the current results
per poll that has unannounced votes or has reached its closing time, and
lowers the count by what it saw. A popular poll thus costs one event per
interval, not one per vote, and the last votes before a quiet spell are
still announced. Two replicas announcing the same poll at once emit two
events with the same results; publish keeps the newer.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS

from .models import Poll
from .polls import poll_event, tally

BATCH = 100


async def announce_pending(tx: Transaction, *, now: datetime) -> int:
    """One ``PollUpdated`` per poll with unannounced votes or an unannounced closing."""
    polls = list(await tx.session.scalars(
        sa.select(Poll).where((Poll.unannounced > 0) | (
            Poll.announced_closed.is_(False) & (Poll.closes_at <= now)))
        .order_by(Poll.poll_id).limit(BATCH)))
    if not polls:
        return 0
    seen = {p.poll_id: p.unannounced for p in polls}
    results = await tally(tx.session, polls, now=now)
    await tx.emit_many(COMMENTS, [poll_event(r, now=now) for r in results])
    # Lower by what was read, not to zero: votes committed meanwhile stay pending.
    t = Poll.__table__.c  # Core: one executemany (the ORM would want whole rows)
    await tx.session.execute(
        sa.update(Poll.__table__).where(t.poll_id == sa.bindparam("pid"))
        .values(unannounced=t.unannounced - sa.bindparam("seen"),
                announced_closed=sa.bindparam("closed")),
        [{"pid": r.poll.poll_id, "seen": seen[r.poll.poll_id], "closed": r.closed}
         for r in results])
    return len(results)
