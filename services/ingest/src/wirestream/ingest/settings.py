"""Ingest settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from wirestream.common.settings import ServiceSettings


class IngestSettings(ServiceSettings):
    service_name: str = "ingest"
    port: int = 8001
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    webhook_tolerance_s: int = Field(default=300, ge=1)
    embargo_check_s: float = Field(default=1.0, gt=0)
    admin_token: str | None = None
