"""Push settings (``WIRESTREAM_*`` environment variables).

A mixin rather than fields on ``PublishSettings``: ``install_push`` uses the
publish settings when they already include it (``class S(PublishSettings,
PushSettings)``), and otherwise reads its own from the environment.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PushSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WIRESTREAM_", extra="ignore")

    # Bearer token for the subscriptions admin API; no token, no admin API.
    admin_token: SecretStr | None = None

    # SSRF policy: both off in production; tests and dev reach local receivers.
    push_allow_private_hosts: bool = False
    push_allow_http: bool = False

    # Delivery worker.
    push_poll_s: float = Field(default=1.0, gt=0)
    push_concurrency: int = Field(default=200, ge=1)
    push_per_target_concurrency: int = Field(default=4, ge=1)
    # Connections kept per origin (a subscriber's host, or a push service shared by many).
    push_connections_per_origin: int = Field(default=32, ge=1)
    push_connect_timeout_s: float = Field(default=5.0, gt=0)
    push_timeout_s: float = Field(default=10.0, gt=0)
    # Retries: full jitter over min(cap, base * factor ** (attempt - 1)).
    push_max_attempts: int = Field(default=10, ge=1)
    push_backoff_base_s: float = Field(default=30.0, gt=0)
    push_backoff_factor: float = Field(default=4.0, ge=1)
    push_backoff_cap_s: float = Field(default=24 * 3600.0, gt=0)
    # A 429/503 Retry-After is honoured up to this long.
    push_retry_after_max_s: float = Field(default=24 * 3600.0, gt=0)
    # A published event waits this long for the article's tags before it goes out anyway.
    push_facets_wait_s: float = Field(default=120.0, gt=0)
    push_log_retention_s: float = Field(default=14 * 24 * 3600.0, gt=0)

    # Web Push (RFC 8292 VAPID). Without a key Web Push is off (dev mode makes one up).
    vapid_private_key: SecretStr | None = None
    vapid_subject: str = "mailto:push@wirestream.invalid"
