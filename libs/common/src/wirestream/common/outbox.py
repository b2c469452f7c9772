"""Transactional outbox: events commit with the change that caused them.

A handler (or an HTTP route) writes its next events into the ``outbox`` table
in the same transaction as its own rows; :class:`OutboxRelay` then publishes
them to Redis in order. The XADD runs in a Lua script that also records the
event id, so a relay that crashes after XADD but before marking the row
relayed does not add the event a second time when it retries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .envelope import encode_payload
from .events import Event, utcnow
from .metrics import Metrics
from .streams import RELAYED_KEY_PREFIX

log = logging.getLogger(__name__)

# KEYS[1] stream, KEYS[2] relayed-marker; ARGV data, event_type, event_id, marker ttl (s)
_XADD_ONCE = """
local done = redis.call('GET', KEYS[2])
if done then return done end
local id = redis.call('XADD', KEYS[1], '*', '__data__', ARGV[1], 'event_type', ARGV[2],
                      'event_id', ARGV[3])
redis.call('SET', KEYS[2], id, 'EX', tonumber(ARGV[4]))
return id
"""


@dataclass
class Transaction:
    """One unit of work: a session inside a transaction, plus the events to emit."""

    session: AsyncSession
    outbox: sa.Table
    inbox: sa.Table
    emitted: int = field(default=0)

    async def fresh(self, group: str, events: Iterable[Event]) -> list[Event]:
        """The events this consumer group has not handled before, recorded as handled now.

        Runs inside the caller's transaction, so a rollback forgets them again.
        """
        events = list(events)
        if not events:
            return []
        dialect = self.session.bind.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        now = utcnow()
        stmt = (
            insert(self.inbox)
            .values([{"consumer_group": group, "event_id": e.event_id, "handled_at": now}
                     for e in events])
            .on_conflict_do_nothing()
            .returning(self.inbox.c.event_id)
        )
        new_ids = set((await self.session.execute(stmt)).scalars())
        seen: set[str] = set()
        out = []
        for e in events:  # a batch may carry the same event twice
            if e.event_id in new_ids and e.event_id not in seen:
                seen.add(e.event_id)
                out.append(e)
        return out

    async def emit(self, stream: str, event: Event) -> None:
        """Queue ``event`` for ``stream``; it is published only if this transaction commits."""
        await self.session.execute(
            self.outbox.insert().values(
                event_id=event.event_id,
                stream=stream,
                event_type=event.event_type,
                correlation_id=event.correlation_id,
                payload=event.model_dump_json(),
                created_at=utcnow(),
            )
        )
        self.emitted += 1


class OutboxRelay:
    """Publishes committed outbox rows to their streams, oldest first."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        outbox: sa.Table,
        inbox: sa.Table,
        redis: Redis,
        metrics: Metrics,
        poll_s: float = 0.5,
        batch: int = 200,
        marker_ttl_s: int = 7 * 24 * 3600,
        keep_relayed_s: int = 24 * 3600,
    ) -> None:
        self.sessions = sessions
        self.outbox = outbox
        self.inbox = inbox
        self.redis = redis
        self.metrics = metrics
        self.poll_s = poll_s
        self.batch = batch
        self.marker_ttl_s = marker_ttl_s
        self.keep_relayed_s = keep_relayed_s
        self._wake = asyncio.Event()
        self._script = redis.register_script(_XADD_ONCE)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Open a unit of work; on commit, wake the relay if events were emitted."""
        async with self.sessions() as session, session.begin():
            tx = Transaction(session=session, outbox=self.outbox, inbox=self.inbox)
            yield tx
        if tx.emitted:
            self._wake.set()

    def notify(self) -> None:
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        o = self.outbox
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    sa.select(o.c.id, o.c.stream, o.c.event_id, o.c.event_type,
                              o.c.correlation_id, o.c.payload)
                    .where(o.c.relayed_at.is_(None))
                    .order_by(o.c.id)
                    .limit(self.batch)
                )
            ).all()
        self.metrics.outbox_backlog.set(len(rows))
        if not rows:
            return 0
        pipe = self.redis.pipeline(transaction=False)
        for row in rows:
            await self._script(
                keys=[row.stream, RELAYED_KEY_PREFIX + row.event_id],
                args=[encode_payload(row.payload, row.event_type, row.correlation_id),
                      row.event_type, row.event_id, self.marker_ttl_s],
                client=pipe,
            )
        stream_ids = await pipe.execute()
        now = utcnow()
        async with self.sessions() as session, session.begin():
            for row, sid in zip(rows, stream_ids, strict=True):
                await session.execute(
                    o.update().where(o.c.id == row.id).values(relayed_at=now, stream_id=_text(sid))
                )
                self.metrics.outbox_relayed.labels(row.stream).inc()
        return len(rows)

    async def prune(self) -> None:
        """Forget relayed rows and inbox entries older than ``keep_relayed_s``."""
        cutoff = utcnow() - timedelta(seconds=self.keep_relayed_s)
        async with self.sessions() as session, session.begin():
            await session.execute(
                self.outbox.delete().where(self.outbox.c.relayed_at < cutoff)
            )

    async def run(self) -> None:
        """Relay until cancelled; Redis or database outages are retried with backoff."""
        backoff = self.poll_s
        while True:
            try:
                while await self.relay_once() == self.batch:
                    pass
                backoff = self.poll_s
            except (RedisError, SQLAlchemyError, OSError) as exc:
                # The rows stay in the outbox: nothing is lost, we try again later.
                log.warning("outbox relay failed, retrying", extra={"error": repr(exc)})
                backoff = min(backoff * 2, 5.0)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            except TimeoutError:
                pass


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
