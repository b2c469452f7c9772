"""The translation worker: picks due jobs, calls the engine, emits ArticleTranslated.

It runs beside the bus consumer and never holds it up: jobs were committed
with their enrichment (so the ArticleEnriched is already in the outbox ahead
of any translation), each call has a timeout, and a failure reschedules the
job with exponential backoff until ``max_attempts``. Replicas share the table:
a job is claimed by moving its ``next_attempt_at`` past the call's deadline
(a compare-and-set), so a worker that dies mid-call releases it by itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wirestream.common.events import Article, ArticleTranslated, Tag, derived_id, utcnow
from wirestream.common.metrics import Metrics
from wirestream.common.outbox import Transaction
from wirestream.common.streams import ARTICLES_ENRICHED

from ..models import EnrichedArticle, TranslationJob
from .article import translate_article
from .backend import Backend, TranslationError
from .jobs import DONE, FAILED, PENDING

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Claim:
    article_id: str
    language: str
    version: int
    source_language: str
    correlation_id: str
    article: Article


@dataclass
class Policy:
    timeout_s: float = 60.0
    concurrency: int = 4
    max_attempts: int = 8
    backoff_s: float = 5.0
    backoff_max_s: float = 900.0
    poll_s: float = 1.0

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.backoff_s * 2 ** max(attempts - 1, 0),
                                     self.backoff_max_s))


class TranslationWorker:
    def __init__(self, *, backend: Backend, sessions: async_sessionmaker[AsyncSession],
                 transaction: Callable[[], AbstractAsyncContextManager[Transaction]],
                 policy: Policy, clock: Callable[[], datetime] = utcnow,
                 metrics: Metrics | None = None) -> None:
        self.backend, self.sessions, self.transaction = backend, sessions, transaction
        self.policy, self.clock, self.metrics = policy, clock, metrics

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.translations.labels(self.backend.engine, outcome).inc()

    async def run(self) -> None:
        """Work until cancelled; database or Redis outages are waited out."""
        try:
            while True:
                try:
                    busy = await self.run_once() == self.policy.concurrency
                except (SQLAlchemyError, RedisError, OSError) as exc:
                    log.warning("translation worker failed, will retry", extra={"error": repr(exc)})
                    busy = False
                if not busy:
                    await asyncio.sleep(self.policy.poll_s)
        finally:
            await self.backend.aclose()

    async def run_once(self) -> int:
        """Attempt every job due now (up to ``concurrency``); returns how many."""
        claims = await self._claim()
        await asyncio.gather(*(self._attempt(c) for c in claims))
        return len(claims)

    async def _claim(self) -> list[Claim]:
        now, job = self.clock(), TranslationJob
        lease = now + timedelta(seconds=self.policy.timeout_s * 2 + 5)
        async with self.sessions() as session, session.begin():
            due = (await session.execute(
                sa.select(job.article_id, job.language, job.version, job.next_attempt_at,
                          job.source_language, job.correlation_id, job.article)
                .where(job.state == PENDING, job.next_attempt_at <= now)
                .order_by(job.next_attempt_at).limit(self.policy.concurrency))).all()
            claims = []
            for d in due:
                taken = await session.execute(
                    sa.update(job).where(job.article_id == d.article_id,
                                         job.language == d.language, job.version == d.version,
                                         job.state == PENDING,
                                         job.next_attempt_at == d.next_attempt_at)
                    .values(next_attempt_at=lease)
                    .execution_options(synchronize_session=False))
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    claims.append(Claim(d.article_id, d.language, d.version, d.source_language,
                                        d.correlation_id, Article.model_validate(d.article)))
        return claims

    async def _attempt(self, claim: Claim) -> None:
        try:
            async with asyncio.timeout(self.policy.timeout_s):
                translated = await translate_article(
                    self.backend, claim.article, source=claim.source_language,
                    target=claim.language)
        except TimeoutError:
            await self._failed(claim, TranslationError(
                f"{self.backend.engine} timed out after {self.policy.timeout_s}s"))
        except TranslationError as exc:
            await self._failed(claim, exc)
        except Exception as exc:  # a bug or odd answer: recorded on the job and retried, not lost
            log.exception("translation failed unexpectedly", extra={"article_id": claim.article_id})
            await self._failed(claim, TranslationError(repr(exc)))
        else:
            await self._done(claim, translated)

    async def _current(self, session: AsyncSession, claim: Claim) -> TranslationJob | None:
        """The claimed job, unless it was cancelled or superseded meanwhile."""
        job = await session.get(TranslationJob, (claim.article_id, claim.language),
                                with_for_update=True)
        if job is None or job.state != PENDING or job.version != claim.version:
            return None
        return job

    async def _done(self, claim: Claim, translated: Article) -> None:
        async with self.transaction() as tx:
            job = await self._current(tx.session, claim)
            source = await tx.session.get(EnrichedArticle, claim.article_id)
            if job is None or source is None or source.killed:
                return
            job.state, job.engine, job.finished_at = DONE, self.backend.engine, self.clock()
            job.attempts, job.last_error, job.published_version = (
                job.attempts + 1, None, claim.version)
            await tx.emit(ARTICLES_ENRICHED, ArticleTranslated(
                event_id=derived_id(f"{claim.article_id}:{claim.version}",
                                    f"enrich:translation:{claim.language}"),
                correlation_id=claim.correlation_id, article=translated,
                source_article_id=claim.article_id, source_language=claim.source_language,
                engine=self.backend.engine,
                tags=tuple(Tag.model_validate(t) for t in source.tags), story_id=source.story_id))
        self._count("ok")
        log.info("article translated", extra={"article_id": claim.article_id,
                                              "language": claim.language})

    async def _failed(self, claim: Claim, exc: TranslationError) -> None:
        async with self.sessions() as session, session.begin():
            job = await self._current(session, claim)
            if job is None:
                return
            now = self.clock()
            job.attempts += 1
            job.last_error = str(exc)[:2000]
            if exc.permanent or job.attempts >= self.policy.max_attempts:
                job.state, job.finished_at = FAILED, now
            else:
                job.next_attempt_at = now + self.policy.backoff(job.attempts)
        self._count("failed" if job.state == FAILED else "retry")
        log.warning("translation attempt failed", extra={
            "article_id": claim.article_id, "language": claim.language, "error": str(exc),
            "attempts": job.attempts, "gave_up": job.state == FAILED})
