"""Transactional outbox: events commit with the change that caused them.

A handler (or an HTTP route) writes its next events into the ``outbox`` table
in the same transaction as its own rows; :class:`OutboxRelay` then publishes
them to Redis in order. The XADD runs in a Lua script that also records the
event id, so a relay that crashes after XADD but before marking the row
relayed does not add the event a second time when it retries.

Relayed rows are kept for ``keep_relayed_s``. If Redis comes back empty (its
data lost, and with it every event not yet consumed) the relay notices its
marker key is gone and relays the kept rows again, oldest first; each consumer
group's inbox drops the events it had already handled.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .cancel import reraise_if_cancelling
from .envelope import encode_payload
from .events import Event, utcnow
from .metrics import Metrics
from .streams import RELAY_EPOCH_KEY_PREFIX, RELAYED_KEY_PREFIX

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
    # Deferred: emitted rows are kept and written by :meth:`flush` in one INSERT (one
    # statement per batch instead of one per event, ~0.3 ms each on SQLite).
    # :meth:`OutboxRelay.transaction` defers and flushes before it commits.
    deferred: bool = False
    _pending: list[dict[str, object]] = field(default_factory=list)

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
        await self.emit_many(stream, [event])

    async def emit_many(self, stream: str, events: Iterable[Event]) -> None:
        """Queue several events for ``stream`` with one INSERT, in order."""
        now = utcnow()
        rows = [{"event_id": e.event_id, "stream": stream, "event_type": e.event_type,
                 "correlation_id": e.correlation_id, "payload": e.model_dump_json(),
                 "created_at": now} for e in events]
        if not rows:
            return
        self.emitted += len(rows)
        if self.deferred:
            self._pending.extend(rows)
        else:
            await self.session.execute(self.outbox.insert(), rows)

    async def flush(self) -> None:
        """Write the deferred rows (in emit order); the caller's transaction commits them."""
        rows, self._pending = self._pending, []
        if rows:
            await self.session.execute(self.outbox.insert(), rows)


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
        keep_inbox_s: int = 14 * 24 * 3600,
        prune_every_s: float = 600.0,
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
        self.keep_inbox_s = keep_inbox_s
        self.prune_every_s = prune_every_s
        self._wake = asyncio.Event()
        self._script = redis.register_script(_XADD_ONCE)
        self._epoch_key = RELAY_EPOCH_KEY_PREFIX + metrics.service

    @asynccontextmanager
    async def transaction(self, *, wake: bool = True) -> AsyncIterator[Transaction]:
        """Open a unit of work; on commit, wake the relay if events were emitted (unless
        ``wake`` is false: the caller decides when, with :meth:`notify`)."""
        async with self.sessions() as session, session.begin():
            tx = Transaction(session=session, outbox=self.outbox, inbox=self.inbox,
                             deferred=True)
            yield tx
            await tx.flush()
        if tx.emitted and wake:
            self._wake.set()

    def notify(self) -> None:
        self._wake.set()

    async def replay_if_redis_lost(self) -> int:
        """Mark the kept relayed rows unrelayed if Redis lost its data; returns how many.

        The marker is set only after the rows are marked, so a failure in between
        is retried. Two replicas racing here both replay: consumers dedupe.
        """
        if await self.redis.exists(self._epoch_key):
            return 0
        o = self.outbox
        cutoff = utcnow() - timedelta(seconds=self.keep_relayed_s)
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                o.update().where(o.c.relayed_at.is_not(None), o.c.relayed_at >= cutoff)
                .values(relayed_at=None, stream_id=None))
        await self.redis.set(self._epoch_key, utcnow().isoformat())
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count:
            log.warning("Redis lost its data: relaying kept events again",
                        extra={"events": count})
        return count

    async def relay_once(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        await self.replay_if_redis_lost()
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
        stream_ids = await self._xadd_once(rows)
        now = utcnow()
        async with self.sessions() as session, session.begin():
            # One executemany for the whole batch.
            await session.execute(
                o.update().where(o.c.id == sa.bindparam("row_id"))
                .values(relayed_at=sa.bindparam("at"), stream_id=sa.bindparam("sid"))
                .execution_options(synchronize_session=False),
                [{"row_id": row.id, "at": now, "sid": _text(sid)}
                 for row, sid in zip(rows, stream_ids, strict=True)],
            )
        for row in rows:
            self.metrics.outbox_relayed.labels(row.stream).inc()
        return len(rows)

    async def _xadd_once(self, rows: list[sa.Row[Any]]) -> list[Any]:
        """XADD each row's event unless its marker says it went out; the stream ids.

        EVALSHA straight in the pipeline: redis-py's script objects make a pipeline
        ask ``SCRIPT EXISTS`` first, a round trip on every pass. A Redis that lost its
        scripts (restarted, flushed) answers NOSCRIPT: the script is loaded and the
        whole batch sent again, which the per-event marker makes safe even if some
        entries of the first try went through."""
        for attempt in (1, 2):
            async with self.redis.pipeline(transaction=False) as pipe:
                for row in rows:
                    pipe.evalsha(self._script.sha, 2, row.stream,
                                 RELAYED_KEY_PREFIX + row.event_id,
                                 encode_payload(row.payload, row.event_type,
                                                row.correlation_id),
                                 row.event_type, row.event_id, self.marker_ttl_s)
                try:
                    return list(await pipe.execute())
                except NoScriptError:
                    if attempt == 2:
                        raise
            await self.redis.script_load(_XADD_ONCE)
        raise AssertionError("unreachable")

    async def prune(self) -> None:
        """Forget relayed outbox rows older than ``keep_relayed_s`` and inbox ids older
        than ``keep_inbox_s`` (longer than any redelivery or dead-letter replay window)."""
        now = utcnow()
        async with self.sessions() as session, session.begin():
            await session.execute(self.outbox.delete().where(
                self.outbox.c.relayed_at < now - timedelta(seconds=self.keep_relayed_s)))
            await session.execute(self.inbox.delete().where(
                self.inbox.c.handled_at < now - timedelta(seconds=self.keep_inbox_s)))

    async def run(self) -> None:
        """Relay until cancelled; Redis or database outages are retried with backoff."""
        backoff = self.poll_s
        next_prune = time.monotonic() + 60
        while True:
            # Cleared before relaying, not after: a commit that lands while the relay works
            # must wake it again at once, not wait for the next poll.
            self._wake.clear()
            try:
                while await self.relay_once() == self.batch:
                    pass
                if time.monotonic() >= next_prune:
                    await self.prune()
                    next_prune = time.monotonic() + self.prune_every_s
            except (RedisError, SQLAlchemyError, OSError) as exc:
                reraise_if_cancelling()
                # The rows stay in the outbox: nothing is lost. Back off without
                # listening to wake-ups, or every commit during an outage would
                # trigger another doomed connection attempt.
                log.warning("outbox relay failed, retrying", extra={"error": repr(exc)})
                backoff = min(backoff * 2, 5.0)
                await asyncio.sleep(backoff)
                continue
            backoff = self.poll_s
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_s)
            except TimeoutError:
                pass


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
