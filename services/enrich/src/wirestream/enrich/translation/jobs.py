"""Translation jobs, written in the same transaction as the enrichment they follow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import Article

from ..models import TranslationJob
from ..text.language import UNDETERMINED
from .article import translation_id

PENDING, DONE, FAILED, CANCELLED = "pending", "done", "failed", "cancelled"


async def schedule(session: AsyncSession, article: Article, *, language: str,
                   targets: Sequence[str], correlation_id: str, now: datetime) -> int:
    """Queue this version's translation into every target but its own language.

    A newer version resets its jobs (the translation is redone); an older or
    equal one changes nothing. Returns how many jobs are now pending for it.
    """
    wanted = [t for t in dict.fromkeys(targets) if t != language]
    if not wanted or language == UNDETERMINED:
        return 0
    existing = {j.language: j for j in (await session.scalars(
        sa.select(TranslationJob).where(TranslationJob.article_id == article.article_id)))}
    payload = article.model_dump(mode="json")
    queued = 0
    for target in wanted:
        job = existing.get(target)
        if job is not None and job.version >= article.version:
            continue
        if job is None:
            job = TranslationJob(article_id=article.article_id, language=target,
                                 translation_id=translation_id(article.article_id, target),
                                 created_at=now)
            session.add(job)
        job.version, job.source_language, job.state, job.attempts = (
            article.version, language, PENDING, 0)
        job.next_attempt_at, job.last_error, job.finished_at = now, None, None
        job.correlation_id, job.article = correlation_id, payload
        queued += 1
    return queued


async def cancel(session: AsyncSession, article_id: str, *,
                 now: datetime) -> list[TranslationJob]:
    """Stop translating a killed article; returns the jobs whose translation went out."""
    jobs = list(await session.scalars(
        sa.select(TranslationJob).where(TranslationJob.article_id == article_id)))
    published = [j for j in jobs if j.published_version is not None]
    for job in jobs:
        if job.state in (PENDING, DONE):
            job.state, job.finished_at = CANCELLED, now
    return published
