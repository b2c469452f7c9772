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

The table is the truth; a shortcut keeps the relay off it in the common case.
A transaction that commits hands its rows to the relay in memory, which adds
them to Redis without reading them back, and marks them relayed in one UPDATE
a little later (``mark_s``), for all the passes in between. The table is still
polled every ``poll_s`` for rows no shortcut carried: those of a process that
died before relaying, of a failed pass, of other writers. A process that dies
before marking relays its rows again on the next start, and their markers keep
them from being added twice.
"""

from __future__ import annotations

import asyncio
import contextlib
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
    # Every row written, in order: handed to the relay when the transaction commits.
    written: list[dict[str, object]] = field(default_factory=list)

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
            self.written.extend(rows)

    async def flush(self) -> None:
        """Write the deferred rows (in emit order); the caller's transaction commits them."""
        rows, self._pending = self._pending, []
        if rows:
            await self.session.execute(self.outbox.insert(), rows)
            self.written.extend(rows)


@dataclass(frozen=True)
class _Row:
    """An outbox row as the relay sends it (a committed transaction's, or one read back)."""

    stream: str
    event_id: str
    event_type: str
    correlation_id: str
    payload: str


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
        mark_s: float = 0.1,
        max_handed: int = 10_000,
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
        self.mark_s = mark_s
        self.max_handed = max_handed
        self._wake = asyncio.Event()
        self._script = redis.register_script(_XADD_ONCE)
        self._epoch_key = RELAY_EPOCH_KEY_PREFIX + metrics.service
        self._handed: list[_Row] = []  # committed, not yet sent
        self._unmarked: dict[str, str] = {}  # event id -> stream id: sent, not yet marked
        self._mark_due = 0.0
        self._poll_now = True

    @asynccontextmanager
    async def transaction(self, *, wake: bool = True) -> AsyncIterator[Transaction]:
        """Open a unit of work; on commit, hand its rows to the relay and wake it if
        events were emitted (unless ``wake`` is false: the caller decides when, with
        :meth:`notify`)."""
        async with self.sessions() as session, session.begin():
            tx = Transaction(session=session, outbox=self.outbox, inbox=self.inbox,
                             deferred=True)
            yield tx
            await tx.flush()
        if tx.written:
            self._hand_over(tx.written)
        if tx.emitted and wake:
            self._wake.set()

    def _hand_over(self, rows: list[dict[str, object]]) -> None:
        if len(self._handed) + len(rows) > self.max_handed:
            # No relay is draining them (a tool that only writes): the poll finds them.
            self._handed.clear()
            self._poll_now = True
            return
        self._handed.extend(_Row(str(r["stream"]), str(r["event_id"]), str(r["event_type"]),
                                 str(r["correlation_id"]), str(r["payload"])) for r in rows)

    def notify(self) -> None:
        self._wake.set()

    async def replay_if_redis_lost(self) -> int:
        """Mark the kept relayed rows unrelayed if Redis lost its data; returns how many.

        The marker is set only after the rows are marked, so a failure in between
        is retried. Two replicas racing here both replay: consumers dedupe.
        """
        if await self.redis.exists(self._epoch_key):
            return 0
        return await self._replay()

    async def _replay(self) -> int:
        # Rows sent but not marked are unrelayed in the table already: the poll sends
        # them again (to a Redis that lost them, or deduped by their markers).
        self._unmarked.clear()
        self._poll_now = True
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
        """One whole pass: send the rows handed over, mark everything sent, then publish
        one batch of rows read from the table; returns how many were published."""
        sent = await self._send_handed()
        await self._mark()
        return sent + await self._poll()

    async def _send_handed(self) -> int:
        """Send the committed rows handed over in memory (marked later, by :meth:`_mark`).

        The epoch check rides in the same pipeline: one round trip for the pass."""
        rows, self._handed = self._handed, []
        if not rows:
            return 0
        try:
            exists, stream_ids = await self._xadd_once(rows, check_epoch=True)
        except BaseException:
            self._poll_now = True  # they are in the table: the poll sends them
            raise
        if not exists:
            await self._replay()
        self._sent(rows, stream_ids)
        return len(rows)

    async def _poll(self) -> int:
        """Publish one batch of unrelayed rows read from the table, and mark them."""
        await self.replay_if_redis_lost()
        self._poll_now = False  # this is the poll a replay asks for
        o = self.outbox
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    sa.select(o.c.stream, o.c.event_id, o.c.event_type,
                              o.c.correlation_id, o.c.payload)
                    .where(o.c.relayed_at.is_(None))
                    .order_by(o.c.id)
                    .limit(self.batch)
                )
            ).all()
        self.metrics.outbox_backlog.set(len(rows))
        handed = {r.event_id for r in self._handed}  # sent next pass, in commit order
        rows = [r for r in rows if r.event_id not in handed]
        if not rows:
            return 0
        _exists, stream_ids = await self._xadd_once(rows)
        self._sent(rows, stream_ids)
        await self._mark()
        return len(rows)

    def _sent(self, rows: list[Any], stream_ids: list[Any]) -> None:
        if not self._unmarked:
            self._mark_due = time.monotonic() + self.mark_s
        for row, sid in zip(rows, stream_ids, strict=True):
            self._unmarked[row.event_id] = _text(sid)
            self.metrics.outbox_relayed.labels(row.stream).inc()

    async def _mark(self) -> None:
        """Mark every sent row relayed, with one executemany."""
        if not self._unmarked:
            return
        marks, now = dict(self._unmarked), utcnow()
        o = self.outbox
        async with self.sessions() as session, session.begin():
            await session.execute(
                o.update().where(o.c.event_id == sa.bindparam("eid"))
                .values(relayed_at=sa.bindparam("at"), stream_id=sa.bindparam("sid"))
                .execution_options(synchronize_session=False),
                [{"eid": eid, "at": now, "sid": sid} for eid, sid in marks.items()],
            )
        for eid in marks:
            self._unmarked.pop(eid, None)

    async def _xadd_once(self, rows: list[Any], *,
                         check_epoch: bool = False) -> tuple[bool, list[Any]]:
        """XADD each row's event unless its marker says it went out: (whether the epoch
        key is there, when asked; the stream ids).

        EVALSHA straight in the pipeline: redis-py's script objects make a pipeline
        ask ``SCRIPT EXISTS`` first, a round trip on every pass. A Redis that lost its
        scripts (restarted, flushed) answers NOSCRIPT: the script is loaded and the
        whole batch sent again, which the per-event marker makes safe even if some
        entries of the first try went through."""
        for attempt in (1, 2):
            async with self.redis.pipeline(transaction=False) as pipe:
                if check_epoch:
                    pipe.exists(self._epoch_key)
                for row in rows:
                    pipe.evalsha(self._script.sha, 2, row.stream,
                                 RELAYED_KEY_PREFIX + row.event_id,
                                 encode_payload(row.payload, row.event_type,
                                                row.correlation_id),
                                 row.event_type, row.event_id, self.marker_ttl_s)
                try:
                    replies = list(await pipe.execute())
                except NoScriptError:
                    if attempt == 2:
                        raise
                else:
                    if check_epoch:
                        return bool(replies[0]), replies[1:]
                    return True, replies
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

    async def _pass(self, next_poll: float) -> float:
        """Send what was handed over; poll the table when due; mark when due. Returns
        when the next poll is due."""
        await self._send_handed()
        if self._poll_now or time.monotonic() >= next_poll:
            await self._mark()
            while await self._poll() == self.batch:
                pass
            next_poll = time.monotonic() + self.poll_s
        if self._unmarked and (len(self._unmarked) >= self.batch
                               or time.monotonic() >= self._mark_due):
            await self._mark()
        return next_poll

    async def run(self) -> None:
        """Relay until cancelled; Redis or database outages are retried with backoff.
        Rows sent but not yet marked are marked on the way out, if the database lets."""
        try:
            await self._run()
        finally:
            with contextlib.suppress(Exception):
                await self._mark()

    async def _run(self) -> None:
        backoff = self.poll_s
        next_poll = 0.0  # the table is read at once on start
        next_prune = time.monotonic() + 60
        while True:
            # Cleared before relaying, not after: a commit that lands while the relay works
            # must wake it again at once, not wait for the next poll.
            self._wake.clear()
            try:
                next_poll = await self._pass(next_poll)
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
            wait = next_poll - time.monotonic()
            if self._unmarked:
                wait = min(wait, self._mark_due - time.monotonic())
            if self._handed or self._poll_now:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, wait))
            except TimeoutError:
                pass


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
