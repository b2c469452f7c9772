"""Ingest settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from wirestream.common.settings import ServiceSettings


class IngestSettings(ServiceSettings):
    service_name: str = "ingest"
    port: int = 8001
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # Standard Webhooks' own check allows 300 s; this can only tighten it.
    webhook_tolerance_s: int = Field(default=300, ge=1, le=300)
    embargo_check_s: float = Field(default=1.0, gt=0)
    admin_token: str | None = None
    # How long an agency's keys are reused before being read again; other
    # replicas see a rotation or a disable within this time.
    agency_cache_s: float = Field(default=2.0, ge=0)

    # Feed polling: every tick, the agencies whose feed is due are polled.
    feed_tick_s: float = Field(default=1.0, gt=0)
    feed_default_interval_s: int = Field(default=300, ge=1)
    # A failed poll is tried again after this long (or the agency's interval if shorter).
    feed_retry_s: float = Field(default=15.0, gt=0)
    feed_timeout_s: float = Field(default=15.0, gt=0)
    feed_concurrency: int = Field(default=4, ge=1)
