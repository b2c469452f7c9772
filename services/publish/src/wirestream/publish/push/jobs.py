"""The delivery rows behind the worker: load claimed jobs, record each attempt's outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Attempt, BrowserSubscription, Delivery, Message, WebhookSubscription
from .sender import Job, Result, backoff
from .settings import PushSettings


async def load_jobs(session: AsyncSession, ids: Sequence[str], *, now: datetime) -> list[Job]:
    """Jobs for claimed deliveries; those whose target is gone or disabled are cancelled."""
    rows = (await session.execute(
        sa.select(Delivery.id, Delivery.channel, Delivery.target_id, Delivery.attempts,
                  Delivery.give_up_after, Message.body, Message.urgency, Message.topic)
        .join(Message, Message.id == Delivery.message_id).where(Delivery.id.in_(ids)))).all()
    hooks = {r.id: r for r in (await session.execute(
        sa.select(WebhookSubscription.id, WebhookSubscription.url, WebhookSubscription.secret)
        .where(WebhookSubscription.id.in_({r.target_id for r in rows if r.channel == "webhook"}),
               WebhookSubscription.disabled.is_(False)))).all()}
    browsers = {r.id: r for r in (await session.scalars(
        sa.select(BrowserSubscription)
        .where(BrowserSubscription.id.in_({r.target_id for r in rows
                                           if r.channel == "webpush"})))).all()}
    jobs, orphans = [], []
    for r in rows:
        common = {"delivery_id": r.id, "channel": r.channel, "target_id": r.target_id,
                  "body": r.body, "attempts": r.attempts, "give_up_after": r.give_up_after,
                  "urgency": r.urgency, "topic": r.topic}
        if (hook := hooks.get(r.target_id)) and r.channel == "webhook":
            jobs.append(Job(url=hook.url, secret=hook.secret, **common))
        elif (b := browsers.get(r.target_id)) and r.channel == "webpush":
            jobs.append(Job(url=b.endpoint, p256dh=b.p256dh, auth=b.auth, **common))
        else:
            orphans.append(r.id)
    if orphans:
        await session.execute(sa.update(Delivery).where(Delivery.id.in_(orphans)).values(
            status="cancelled", next_attempt_at=None, updated_at=now))
    return jobs


def _next_try(job: Job, result: Result, attempt: int, settings: PushSettings) -> float:
    if result.retry_after_s is not None:  # the subscriber said when (429/503)
        return min(result.retry_after_s, settings.push_retry_after_max_s)
    return backoff(attempt, base=settings.push_backoff_base_s,
                   factor=settings.push_backoff_factor, cap=settings.push_backoff_cap_s)


async def record(session: AsyncSession, job: Job, result: Result, *, started_at: datetime,
                 duration_ms: int, now: datetime, settings: PushSettings) -> str:
    """Store one attempt and its consequences; returns the outcome for the metrics."""
    attempt = job.attempts + 1
    outcome = result.outcome
    if outcome == "retry" and attempt >= job.give_up_after:
        outcome = "failed"
    values: dict[str, object] = {
        "attempts": attempt, "last_status_code": result.status_code,
        "last_error": result.error, "updated_at": now, "next_attempt_at": None,
        "status": {"ok": "delivered", "retry": "pending"}.get(outcome, outcome)}
    if outcome == "ok":
        values["delivered_at"] = now
    elif outcome == "retry":
        values["next_attempt_at"] = now + timedelta(
            seconds=_next_try(job, result, attempt, settings))
    elif outcome == "gone":
        await _gone(session, job, now=now)
    session.add(Attempt(delivery_id=job.delivery_id, number=attempt, started_at=started_at,
                        duration_ms=duration_ms, outcome=outcome,
                        status_code=result.status_code, error=result.error))
    await session.execute(sa.update(Delivery).where(Delivery.id == job.delivery_id)
                          .values(**values))
    return outcome


async def _gone(session: AsyncSession, job: Job, *, now: datetime) -> None:
    """410 (or a push service's 404): the target is gone for good; stop sending to it."""
    if job.channel == "webhook":
        await session.execute(
            sa.update(WebhookSubscription).where(WebhookSubscription.id == job.target_id)
            .values(disabled=True, updated_at=now,
                    disabled_reason=f"410 Gone at {now.isoformat()}"))
    else:
        await session.execute(
            sa.delete(BrowserSubscription).where(BrowserSubscription.id == job.target_id))
    await session.execute(
        sa.update(Delivery).where(Delivery.target_id == job.target_id,
                                  Delivery.status == "pending", Delivery.id != job.delivery_id)
        .values(status="cancelled", next_attempt_at=None, updated_at=now))
