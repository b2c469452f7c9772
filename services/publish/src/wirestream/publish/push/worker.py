"""The delivery worker: claims due deliveries and sends them concurrently.

Concurrency is bounded overall and per target, and targets already at their
bound are left out of the next claim, so a slow or dead subscriber holds at
most ``push_per_target_concurrency`` slots and never the queue. A claimed row
is leased (``next_attempt_at`` moved past the request timeout): another
replica skips it, and a crashed worker's rows come due again by themselves.
Results are written back in one transaction per loop turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wirestream.common.events import utcnow
from wirestream.common.metrics import Metrics

from .jobs import load_jobs, record
from .models import Delivery as D
from .sender import Job, Result, Sender
from .settings import PushSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    job: Job
    result: Result
    started_at: datetime
    duration_ms: int


def _cancelling() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


class DeliveryWorker:
    def __init__(self, *, sessions: async_sessionmaker[AsyncSession], sender: Sender,
                 metrics: Metrics, settings: PushSettings) -> None:
        self.sessions = sessions
        self.sender = sender
        self.metrics = metrics
        self.settings = settings
        self.lease_s = sender.timeout_s + 30
        self._wake = asyncio.Event()
        self._inflight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._done: list[Done] = []

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Deliver until cancelled; database outages are retried with backoff."""
        wait = self.settings.push_poll_s
        try:
            while True:
                self._wake.clear()
                try:
                    await self.step()
                    wait = self.settings.push_poll_s
                except (SQLAlchemyError, OSError) as exc:
                    if _cancelling():  # a driver turned our cancellation into its own error
                        raise asyncio.CancelledError from exc
                    log.warning("push worker step failed, retrying", extra={"error": repr(exc)})
                    wait = min(wait * 2, 5.0)
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
                except TimeoutError:
                    pass
        finally:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self.sender.aclose()

    async def step(self) -> None:
        await self.flush()
        await self.sender.clients.sweep()
        while (free := self.settings.push_concurrency - len(self._tasks)) > 0:
            claimed, jobs = await self._claim(free)
            for job in jobs:
                self._start(job)
            if not claimed:
                break

    async def flush(self) -> None:
        """Write the finished attempts back (kept for the next turn if the database fails)."""
        if not self._done:
            return
        done, self._done = self._done, []
        now = utcnow()
        try:
            async with self.sessions() as session, session.begin():
                outcomes = [await record(session, d.job, d.result, started_at=d.started_at,
                                         duration_ms=d.duration_ms, now=now,
                                         settings=self.settings) for d in done]
        except BaseException:
            self._done[:0] = done
            raise
        for d, outcome in zip(done, outcomes, strict=True):
            self.metrics.deliveries.labels(d.job.channel, outcome).inc()

    async def _claim(self, free: int) -> tuple[int, list[Job]]:
        per_target = self.settings.push_per_target_concurrency
        now = utcnow()
        busy = [t for t, n in self._inflight.items() if n >= per_target]
        async with self.sessions() as session, session.begin():
            q = sa.select(D.id, D.target_id).where(D.status == "pending",
                                                   D.next_attempt_at <= now)
            if busy:
                q = q.where(D.target_id.not_in(busy))
            rows = (await session.execute(q.order_by(D.next_attempt_at).limit(free * 4))).all()
            counts, picked = Counter(self._inflight), list[str]()
            for row in rows:
                if len(picked) < free and counts[row.target_id] < per_target:
                    counts[row.target_id] += 1
                    picked.append(row.id)
            if not picked:
                return 0, []
            # The condition is re-checked under the row lock: one replica wins each row.
            claimed = list((await session.execute(
                sa.update(D).where(D.id.in_(picked), D.status == "pending",
                                   D.next_attempt_at <= now)
                .values(next_attempt_at=now + timedelta(seconds=self.lease_s))
                .returning(D.id).execution_options(synchronize_session=False))).scalars())
            jobs = await load_jobs(session, claimed, now=now) if claimed else []
        return len(claimed), jobs

    def _start(self, job: Job) -> None:
        self._inflight[job.target_id] += 1
        task = asyncio.create_task(self._attempt(job), name=f"push:{job.delivery_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _attempt(self, job: Job) -> None:
        started_at, t0 = utcnow(), asyncio.get_running_loop().time()
        try:
            result = await self.sender.send(job)
        except Exception as exc:  # a bug in one attempt must not leak its slot: retry it
            log.exception("push attempt crashed", extra={"delivery_id": job.delivery_id})
            result = Result("retry", error=f"internal error: {type(exc).__name__}")
        finally:
            self._inflight[job.target_id] -= 1
            if self._inflight[job.target_id] <= 0:
                del self._inflight[job.target_id]
        self._done.append(Done(job, result, started_at,
                               int((asyncio.get_running_loop().time() - t0) * 1000)))
        self._wake.set()

