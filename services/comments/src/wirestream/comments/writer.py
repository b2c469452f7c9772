"""Group commit: one writer task commits the comments that arrive together.

Each request puts its draft on a queue and waits. The writer takes whatever
has queued up (at most ``max_batch``), posts it in one transaction
(:func:`~.posting.post_batch`) and answers every request only after the
commit, so a 201 still means the comment and its ``CommentPosted`` are
durable. While one batch commits the next one gathers, so the batch size
follows the load: one comment at a time when quiet, dozens under a burst,
without any waiting on purpose.

A single writer also means a single SQLite writer: no two transactions of
ours wait on each other's lock.

The outbox relay is told about committed events when the queue has drained, or
at least every ``relay_every_s`` while it has not: under a burst one relay pass
then carries several batches' events instead of one pass per batch (a pass is
a Redis round trip and two transactions, ~1.5 ms of CPU however few events it
carries). The 201s never wait for the relay, and when posting is quiet every
commit drains the queue, so the relay is told at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.exc import InterfaceError, OperationalError

from wirestream.common.runtime import Runtime

from .errors import CommentsError
from .identity import Identity
from .posting import Draft, post_batch, pre_score
from .service import CommentRules, Posted

log = logging.getLogger(__name__)

MAX_BATCH = 64
RELAY_EVERY_S = 0.02
_Item = tuple[Draft, "asyncio.Future[Posted]"]


class WriterStopped(CommentsError):
    """The service is shutting down (or not started): nothing was stored."""

    status = 503
    title = "Temporarily unavailable"

    def __init__(self) -> None:
        super().__init__("service-unavailable", "Not accepting comments now; retry later.",
                         headers={"Retry-After": "5"})


class CommentWriter:
    """Posts comments in batches from one task (:meth:`run`, a background task)."""

    def __init__(self, runtime: Runtime, rules: CommentRules, *,
                 changed: Callable[[Iterable[str]], None] = lambda _ids: None,
                 max_batch: int = MAX_BATCH, relay_every_s: float = RELAY_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.runtime = runtime
        self.rules = rules
        self.changed = changed  # told the articles each committed batch posted to
        self.max_batch = max_batch
        self.relay_every_s = relay_every_s
        self.clock = clock
        self._unrelayed_since: float | None = None  # first commit the relay was not told of
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        # Accepting from the start (a draft queued before the task first runs just
        # waits for it) until the task stops at shutdown.
        self._stopped = False
        # Committed batches and the comments in them (what the bench divides for its
        # mean batch size).
        self.batches = 0
        self.committed = 0

    async def post(self, *, article_id: str, identity: Identity, body: str,
                   parent_id: str | None, ip: str, now: datetime) -> Posted:
        """Score (when a scorer is configured), then post in the next batch."""
        scored = await pre_score(self.runtime.sessions, self.rules, article_id=article_id,
                                 body=body)
        return await self.submit(Draft(article_id, identity, body, parent_id, ip, now, scored))

    async def submit(self, draft: Draft) -> Posted:
        """What was posted, once committed; the refusal (a CommentsError) otherwise."""
        if self._stopped:
            raise WriterStopped()
        answer: asyncio.Future[Posted] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((draft, answer))
        return await answer

    async def run(self) -> None:
        # Accepting again when the runtime starts again (an app whose lifespan is run a
        # second time, as in-process test clients do): stopping is not forever.
        self._stopped = False
        try:
            while True:
                batch = [await self._queue.get()]
                while len(batch) < self.max_batch and not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                # A request that gave up before its turn is not posted.
                batch = [item for item in batch if not item[1].done()]
                if batch:
                    await self._commit(batch)
        finally:
            self._stopped = True
            while not self._queue.empty():
                _, answer = self._queue.get_nowait()
                if not answer.done():
                    answer.set_exception(WriterStopped())

    async def _commit(self, batch: list[_Item]) -> None:
        try:
            answers = await self._post(batch)
        except (OperationalError, InterfaceError, OSError) as exc:
            for _, answer in batch:  # an outage: nothing was stored, each request says 503
                _settle(answer, exc)
            return
        except asyncio.CancelledError:
            for _, answer in batch:
                _settle(answer, WriterStopped())
            raise
        except Exception as exc:  # passed on to the requests, never dropped
            if len(batch) == 1:
                _settle(batch[0][1], exc)
                return
            # One comment broke the batch (a constraint, a bug): post each on its own,
            # so the others are not refused for it.
            log.warning("comment batch failed, posting one by one",
                        extra={"size": len(batch), "error": repr(exc)})
            for item in batch:
                await self._commit([item])
            return
        self.batches += 1
        self.committed += len(batch)
        self._tell_relay()
        self.changed({d.article_id for d, _ in batch})
        for (_, answer), result in zip(batch, answers, strict=True):
            _settle(answer, result)

    async def _post(self, batch: list[_Item]) -> list[Posted | CommentsError]:
        """One transaction; the relay is told by :meth:`_tell_relay`, not at every commit."""
        async with self.runtime.relay.transaction(wake=False) as tx:
            return await post_batch(tx, [d for d, _ in batch], rules=self.rules)

    def _tell_relay(self) -> None:
        now = self.clock()
        if self._unrelayed_since is None:
            self._unrelayed_since = now
        if self._queue.empty() or now - self._unrelayed_since >= self.relay_every_s:
            self._unrelayed_since = None
            self.runtime.relay.notify()


def _settle(answer: asyncio.Future[Posted], result: Posted | BaseException) -> None:
    if answer.done():  # the request was cancelled meanwhile (its comment is stored)
        return
    if isinstance(result, BaseException):
        answer.set_exception(result)
    else:
        answer.set_result(result)
