"""Enrich settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from wirestream.common.settings import ServiceSettings

TranslationBackendName = Literal["none", "libretranslate", "argos", "openai"]


class EnrichSettings(ServiceSettings):
    service_name: str = "enrich"
    port: int = 8002
    languages: list[str] = Field(default_factory=lambda: ["ar", "en", "fr", "de", "es", "ru"])
    max_keywords: int = Field(default=8, ge=0, le=50)
    # Bearer token for /v1/admin (taxonomy); without one the admin API refuses everything.
    admin_token: str | None = None
    # How often a replica looks for taxonomy changes made elsewhere (CLI, other replicas).
    taxonomy_check_s: float = Field(default=5.0, gt=0)

    # Stories: items about the same event within the window; announced from this size on.
    story_window_h: float = Field(default=48.0, gt=0)
    story_min_items: int = Field(default=2, ge=1)
    # At most this many articles are kept for matching (oldest leave the window early):
    # ~5 KB each (text/bands.py), so 15,000 (two days of a busy wire) is ~75 MB at most.
    story_max_items: int = Field(default=15_000, ge=100)
    related_count: int = Field(default=5, ge=0, le=50)

    # Machine translation, off unless a backend is chosen.
    translation_backend: TranslationBackendName = "none"
    translation_targets: list[str] = Field(default_factory=lambda: ["ar", "en"])
    libretranslate_url: str = "http://127.0.0.1:5000"
    libretranslate_api_key: SecretStr | None = None
    openai_url: str = "https://api.openai.com"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    translation_timeout_s: float = Field(default=60.0, gt=0)
    translation_poll_s: float = Field(default=1.0, gt=0)
    translation_concurrency: int = Field(default=4, ge=1, le=64)
    translation_max_attempts: int = Field(default=8, ge=1)
    translation_backoff_s: float = Field(default=5.0, gt=0)
    translation_backoff_max_s: float = Field(default=900.0, gt=0)
