"""Enrich settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from wirestream.common.settings import ServiceSettings


class EnrichSettings(ServiceSettings):
    service_name: str = "enrich"
    port: int = 8002
    languages: list[str] = Field(default_factory=lambda: ["ar", "en", "fr", "de", "es", "ru"])
    max_keywords: int = 8
