"""Comments settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from wirestream.common.settings import ServiceSettings


class CommentsSettings(ServiceSettings):
    service_name: str = "comments"
    port: int = 8003
    site_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"]
    )
    max_body_chars: int = 5000
    page_size: int = 50
