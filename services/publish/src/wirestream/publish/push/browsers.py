"""Readers' browser subscriptions (Web Push) and what each follows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .models import BrowserFollow, BrowserSubscription


def browser_id(endpoint: str) -> str:
    """Derived from the endpoint (itself a secret URL), so registering again updates."""
    return "wp_" + hashlib.sha256(endpoint.encode()).hexdigest()[:32]


async def register(session: AsyncSession, *, endpoint: str, p256dh: str, auth: str,
                   tags: Iterable[str], stories: Iterable[str], breaking: bool,
                   languages: Iterable[str], now: datetime) -> BrowserSubscription:
    """Create or replace a browser's subscription and its follows."""
    bid = browser_id(endpoint)
    row = await session.get(BrowserSubscription, bid)
    if row is None:
        row = BrowserSubscription(id=bid, endpoint=endpoint, created_at=now)
        session.add(row)
    row.p256dh, row.auth, row.languages = p256dh, auth, sorted(set(languages))
    await session.flush()
    await session.execute(sa.delete(BrowserFollow).where(BrowserFollow.browser_id == bid))
    follows = {("tag", t) for t in tags} | {("story", s) for s in stories}
    if breaking:
        follows.add(("breaking", ""))
    session.add_all(BrowserFollow(browser_id=bid, kind=k, value=v) for k, v in sorted(follows))
    return row


async def follows(session: AsyncSession, bid: str) -> list[tuple[str, str]]:
    rows = (await session.execute(sa.select(BrowserFollow.kind, BrowserFollow.value)
                                  .where(BrowserFollow.browser_id == bid))).all()
    return sorted((r.kind, r.value) for r in rows)


async def unregister(session: AsyncSession, bid: str) -> bool:
    result = await session.execute(sa.delete(BrowserSubscription)
                                   .where(BrowserSubscription.id == bid))
    return bool(result.rowcount)  # type: ignore[attr-defined]
