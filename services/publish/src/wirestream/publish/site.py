"""What rendering needs, built once in ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass

from .render import Renderer, SiteConfig


@dataclass(frozen=True)
class Site:
    """The renderer, the site settings, the comments API URL and list sizes."""

    renderer: Renderer
    config: SiteConfig
    comments_api: str
    home_size: int = 30
    list_size: int = 30
    related_size: int = 5
