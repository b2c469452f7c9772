"""Publish settings (``WIRESTREAM_*`` environment variables)."""

from __future__ import annotations

from pydantic import Field

from wirestream.common.settings import ServiceSettings


class PublishSettings(ServiceSettings):
    service_name: str = "publish"
    port: int = 8000
    site_name: str = "Wirestream"
    site_url: str = "http://127.0.0.1:8000"
    comments_public_url: str = "http://127.0.0.1:8003"
    default_language: str = "en"
    site_languages: tuple[str, ...] = ("en", "ar")
    home_size: int = Field(default=30, ge=1, le=500)
    # Items on a section or tag page and in every feed.
    list_size: int = Field(default=30, ge=1, le=500)
    # Related articles shown on an article page.
    related_size: int = Field(default=5, ge=0, le=20)
    # Page builder: list pages, feeds and the sitemap are rendered after the article
    # is live, at most once per ``build_debounce_s`` however many articles changed.
    build_debounce_s: float = Field(default=0.5, ge=0)
    build_poll_s: float = Field(default=1.0, gt=0)
    build_batch: int = Field(default=200, ge=1)
    build_lease_s: float = Field(default=30.0, gt=0)
    # The builder rests after each round so that rounds take at most this share of its
    # time (list pages lag more under load; the article pages are not delayed).
    build_duty: float = Field(default=0.25, gt=0, le=1)
    # Pages served from memory for this long (pages this replica writes are evicted at once).
    page_cache_s: float = Field(default=1.0, ge=0)
    page_cache_size: int = Field(default=2000, ge=0)
    page_cache_mb: float = Field(default=32.0, ge=0)
    # Re-render the news sitemap this often, so items older than 48 h drop out.
    sitemap_refresh_s: float = Field(default=900.0, gt=0)
