"""Settings shared by every service: one pydantic-settings base, ``WIRESTREAM_`` env vars."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base settings; each service subclasses it and sets ``service_name`` and ``port``.

    ``redis_url`` and ``database_url`` have no production default on purpose:
    ``wirestream dev`` fills them in (a Redis it starts, SQLite under ``data_dir``).
    """

    model_config = SettingsConfigDict(env_prefix="WIRESTREAM_", extra="ignore")

    service_name: str = "wirestream"
    host: str = "127.0.0.1"
    port: int = 8000
    redis_url: str = "redis://127.0.0.1:6379/0"
    database_url: str | None = None
    data_dir: Path = Path(".wirestream")
    consumer_name: str | None = None
    dev_mode: bool = False

    # Delivery guarantees.
    batch_size: int = Field(default=100, ge=1, le=10_000)
    claim_idle_ms: int = Field(default=30_000, ge=100)
    max_deliveries: int = Field(default=5, ge=1)
    polling_interval_ms: int = Field(default=100, ge=1)
    outbox_poll_s: float = Field(default=0.5, gt=0)
    stream_retention_s: int = Field(default=7 * 24 * 3600, ge=0)
    trim_interval_s: float = Field(default=60.0, gt=0)
    graceful_timeout_s: float = Field(default=20.0, gt=0)
    # Move what start-up built into the collector's permanent generation (see runtime).
    gc_freeze: bool = True

    log_level: str = "INFO"
    log_json: bool = True
    run_migrations: bool = True

    def resolved_database_url(self) -> str:
        """The configured database URL, or a SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = (self.data_dir / f"{self.service_name}.db").resolve()
        return f"sqlite+aiosqlite:///{path}"
