"""Agency management: create, list, rotate secrets, disable, change settings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

import sqlalchemy as sa
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.webhooks import new_secret

from .models import Agency


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http(s) URL")
    return value


FeedUrl = Annotated[str, Field(max_length=2000), AfterValidator(_http_url)]
Language = Annotated[str, Field(max_length=16, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
PollInterval = Annotated[int, Field(ge=10, le=7 * 24 * 3600)]


class AgencyChanges(BaseModel):
    """Settings to change; only the fields given are applied (``null`` clears one).

    Clearing ``feed_url`` stops polling; clearing ``poll_interval_s`` goes back
    to the service default.
    """

    model_config = ConfigDict(extra="forbid")

    default_language: Language | None = None
    priority: int = Field(default=0, ge=-1000, le=1000)
    feed_url: FeedUrl | None = None
    poll_interval_s: PollInterval | None = None
    enable: bool = True


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


async def update_agency(session: AsyncSession, name: str, changes: AgencyChanges) -> Agency:
    """Apply the fields set in ``changes``; raises ``KeyError`` for an unknown agency.

    A new feed URL forgets the old feed's validators and errors; a new feed
    URL or poll interval makes the feed due at once.
    """
    agency = await _get(session, name)
    given = changes.model_fields_set
    if "default_language" in given:
        agency.default_language = changes.default_language
    if "priority" in given:
        agency.priority = changes.priority
    if "enable" in given:
        agency.disabled = not changes.enable
    if "feed_url" in given and changes.feed_url != agency.feed_url:
        agency.feed_url = changes.feed_url
        agency.feed_etag = agency.feed_last_modified = agency.feed_error = None
        agency.feed_next_poll_at = None
    if "poll_interval_s" in given and changes.poll_interval_s != agency.poll_interval_s:
        agency.poll_interval_s = changes.poll_interval_s
        agency.feed_next_poll_at = None
    return agency


async def _get(session: AsyncSession, name: str) -> Agency:
    agency = await session.get(Agency, name)
    if agency is None:
        raise KeyError(name)
    return agency
