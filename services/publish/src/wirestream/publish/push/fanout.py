"""Enqueue: one message per event and channel, one delivery per matching target.

Runs inside the handler's transaction and only writes rows; the delivery
worker sends them. Ids are derived from the event and the target, so a
redelivered bus event (or a handler retried after a crash) adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import derived_id

from .matching import Facets, Filters, matches
from .models import BrowserFollow, BrowserSubscription, Delivery, Message, WebhookSubscription
from .sql import insert_ignore
from .webpush import BREAKING_URGENCY


@dataclass(frozen=True)
class Outgoing:
    """One event as the push channels send it."""

    kind: str
    event_id: str
    facets: Facets
    webhook_body: str
    push_body: str | None = None  # Web Push payload; None: not a Web Push event
    topic: str | None = None


def delivery_id(target_id: str, event_id: str) -> str:
    """The webhook-id: stable for a target and an event, whatever happens to either."""
    return "msg_" + derived_id(event_id, f"push:{target_id}")


class Fanout:
    """Enqueues deliveries within one transaction; loads the subscriptions once."""

    def __init__(self, session: AsyncSession, *, now: datetime, max_attempts: int) -> None:
        self.session = session
        self.now = now
        self.max_attempts = max_attempts
        self._subscriptions: list[tuple[str, Filters]] | None = None
        self._any_follows: bool | None = None

    async def enqueue(self, out: Outgoing) -> int:
        subs = await self._webhook_targets()
        targets = [sid for sid, f in subs if matches(f, out.kind, out.facets)]
        count = await self._add("webhook", out, out.webhook_body, targets)
        if out.push_body is not None:
            browsers = await self._browser_targets(out.facets)
            count += await self._add("webpush", out, out.push_body, browsers)
        return count

    async def any_webhooks(self) -> bool:
        """Whether any webhook subscription is enabled (loaded once per transaction)."""
        return bool(await self._webhook_targets())

    async def _webhook_targets(self) -> list[tuple[str, Filters]]:
        if self._subscriptions is None:
            rows = (await self.session.execute(
                sa.select(WebhookSubscription.id, WebhookSubscription.filters)
                .where(WebhookSubscription.disabled.is_(False)))).all()
            self._subscriptions = [(r.id, Filters.from_json(r.filters)) for r in rows]
        return self._subscriptions

    async def _browser_targets(self, facets: Facets) -> list[str]:
        if not await self._follows():
            return []
        f = BrowserFollow
        wanted = []
        if facets.tags:
            wanted.append(sa.and_(f.kind == "tag", f.value.in_(sorted(facets.tags))))
        if facets.stories:
            wanted.append(sa.and_(f.kind == "story", f.value.in_(sorted(facets.stories))))
        if facets.urgency is not None and facets.urgency <= BREAKING_URGENCY:
            wanted.append(f.kind == "breaking")
        if not wanted:
            return []
        rows = (await self.session.execute(
            sa.select(f.browser_id, BrowserSubscription.languages)
            .join(BrowserSubscription, BrowserSubscription.id == f.browser_id)
            .where(sa.or_(*wanted)))).all()
        return list(dict.fromkeys(
            r.browser_id for r in rows
            if not r.languages or not facets.languages.isdisjoint(r.languages)))

    async def _follows(self) -> bool:
        """Whether any browser follows anything (asked once per transaction: most events
        of a site without Web Push followers need no per-event lookup)."""
        if self._any_follows is None:
            self._any_follows = await self.session.scalar(
                sa.select(BrowserFollow.browser_id).limit(1)) is not None
        return self._any_follows

    async def _add(self, channel: str, out: Outgoing, body: str, targets: Sequence[str]) -> int:
        if not targets:
            return 0
        message_id = derived_id(out.event_id, f"push-message:{channel}")
        await insert_ignore(self.session, Message, [{
            "id": message_id, "channel": channel, "event_id": out.event_id, "kind": out.kind,
            "body": body, "urgency": out.facets.urgency, "topic": out.topic,
            "created_at": self.now}])
        return await insert_ignore(self.session, Delivery, [{
            "id": delivery_id(t, out.event_id), "message_id": message_id, "channel": channel,
            "target_id": t, "status": "pending", "attempts": 0,
            "give_up_after": self.max_attempts, "next_attempt_at": self.now,
            "created_at": self.now, "updated_at": self.now} for t in targets])
