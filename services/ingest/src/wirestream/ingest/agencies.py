"""Agency management: create, list, rotate secrets, disable, settings."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.webhooks import new_secret

from .models import Agency


class AgencyExists(Exception):
    pass


async def create_agency(session: AsyncSession, name: str, *, now: datetime,
                        default_language: str | None = None, priority: int = 0,
                        feed_url: str | None = None, poll_interval_s: int | None = None,
                        secret: str | None = None) -> Agency:
    """A new agency with one active secret (generated unless given)."""
    if await session.get(Agency, name) is not None:
        raise AgencyExists(name)
    agency = Agency(name=name, secrets=[secret or new_secret()], disabled=False,
                    default_language=default_language, priority=priority,
                    feed_url=feed_url, poll_interval_s=poll_interval_s, created_at=now)
    session.add(agency)
    return agency


async def list_agencies(session: AsyncSession) -> list[Agency]:
    return list((await session.scalars(sa.select(Agency).order_by(Agency.name))).all())


async def rotate_secret(session: AsyncSession, name: str, *, keep: int = 1) -> str:
    """Add a new secret, keeping the ``keep`` newest old ones active; returns the new one."""
    agency = await _get(session, name)
    secret = new_secret()
    agency.secrets = [secret, *agency.secrets[:keep]]
    return secret


async def set_disabled(session: AsyncSession, name: str, disabled: bool) -> Agency:
    agency = await _get(session, name)
    agency.disabled = disabled
    return agency


async def _get(session: AsyncSession, name: str) -> Agency:
    agency = await session.get(Agency, name)
    if agency is None:
        raise KeyError(name)
    return agency
