"""Publish settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from wirestream.common.settings import ServiceSettings


class PublishSettings(ServiceSettings):
    service_name: str = "publish"
    port: int = 8000
    site_name: str = "Wirestream"
    site_url: str = "http://127.0.0.1:8000"
    comments_public_url: str = "http://127.0.0.1:8003"
    default_language: str = "en"
    home_size: int = 30
