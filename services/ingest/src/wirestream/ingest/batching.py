"""Group commit: deliveries that arrive together are accepted in one transaction.

Each delivery costs a few statements and a commit; most of that is fixed
cost per statement (SQLAlchemy, the driver, SQLite's single writer). While one
batch commits, the deliveries that arrive queue up; the next one to get the
turn takes them all: one query finds their known items and earlier receipts,
their new rows go in together, and one commit makes them all durable before
any of them is answered.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import InterfaceError, OperationalError

from wirestream.common.events import Article, Event
from wirestream.common.outbox import Transaction
from wirestream.common.streams import ARTICLES_INGESTED

from .models import WebhookReceipt
from .service import Accepted, accept, preload
from .writes import Writes

MAX_BATCH = 64


@dataclass(frozen=True)
class Receipt:
    """The answer to one delivery; a replay carries the first delivery's answer."""

    response: dict[str, Any]
    results: list[Accepted] = field(default_factory=list)
    replayed: bool = False


@dataclass
class Submission:
    agency: str
    webhook_id: str
    articles: list[Article]
    now: datetime
    answer: asyncio.Future[Receipt]


class BatchFailed(Exception):
    """The batch could not commit for a reason other than an outage: go one by one."""


class GroupCommit:
    """Accepts concurrent deliveries together; see the module docstring."""

    def __init__(self, writes: Writes, *, max_batch: int = MAX_BATCH) -> None:
        self.writes = writes
        self.max_batch = max_batch
        self._queue: list[Submission] = []
        self._turn = asyncio.Lock()

    async def submit(self, agency: str, webhook_id: str, articles: list[Article],
                     now: datetime) -> Receipt:
        """The answer once the delivery is committed (or was recorded before).

        Raises ``BatchFailed`` when the delivery must be retried on its own, or
        the database error of an outage.
        """
        mine = Submission(agency, webhook_id, articles, now,
                          asyncio.get_running_loop().create_future())
        self._queue.append(mine)
        while not mine.answer.done():
            async with self._turn:
                if mine.answer.done():
                    break
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
                await self._commit(batch)
        return mine.answer.result()

    async def _commit(self, batch: list[Submission]) -> None:
        try:
            async with self.writes.transaction() as tx:
                answers = await _accept_batch(tx, batch)
        except (OperationalError, InterfaceError, OSError) as exc:  # an outage: all fail
            for sub in batch:
                sub.answer.set_exception(exc)
            return
        except BaseException as exc:  # a conflict, a bad item, a cancellation
            for sub in batch:  # each delivery tries again on its own
                if not sub.answer.done():
                    sub.answer.set_exception(BatchFailed(repr(exc)))
            if not isinstance(exc, Exception):
                raise
            return
        for sub, answer in zip(batch, answers, strict=True):
            sub.answer.set_result(answer)


def response_for(results: list[Accepted]) -> dict[str, Any]:
    """The 202 body: each item's outcome (and the article id when there is one item)."""
    response: dict[str, Any] = {"items": [r.as_json() for r in results]}
    if len(results) == 1:
        response["article_id"] = results[0].article_id
    return response


async def _accept_batch(tx: Transaction, batch: list[Submission]) -> list[Receipt]:
    keys = {(s.agency, s.webhook_id) for s in batch}
    earlier = {(r.agency, r.webhook_id): r.response for r in await tx.session.scalars(
        sa.select(WebhookReceipt).where(
            sa.tuple_(WebhookReceipt.agency, WebhookReceipt.webhook_id).in_(keys)))}
    known = await preload(tx, [a.article_id for s in batch for a in s.articles])
    events: list[Event] = []
    answers = []
    for sub in batch:
        key = (sub.agency, sub.webhook_id)
        if key in earlier:  # a replay, or the same delivery twice in this batch
            answers.append(Receipt(earlier[key], replayed=True))
            continue
        results = [accept(tx.session, a, now=sub.now, known=known, events=events)
                   for a in sub.articles]
        response = response_for(results)
        tx.session.add(WebhookReceipt(agency=sub.agency, webhook_id=sub.webhook_id,
                                      response=response, received_at=sub.now))
        earlier[key] = response
        answers.append(Receipt(response, results))
    # Every event of the batch in one INSERT, after its articles and receipts.
    await tx.emit_many(ARTICLES_INGESTED, events)
    return answers
