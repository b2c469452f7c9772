"""Where each page lives. Feeds sit next to the page they follow: ``{page}/feed.{ext}``."""

from __future__ import annotations

import re

FEED_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
SITEMAP = "/sitemap-news.xml"

# Ids that become one path segment: letters (any script), digits and ``:._-``.
_SEGMENT = re.compile(r"^[\w:.\-]{1,200}$")


def is_segment(value: str) -> bool:
    return bool(_SEGMENT.match(value))


def slug(text: str) -> str:
    """A section name as a path segment: ``"World News"`` -> ``"world-news"``."""
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")[:64]


def home_path(language: str) -> str:
    return f"/{language}/" if language else "/"


def article_path(language: str, article_id: str) -> str:
    return f"/{language}/articles/{article_id}"


def section_path(language: str, name: str) -> str:
    return f"/{language}/section/{name}"


def tag_path(language: str, tag_id: str) -> str:
    return f"/{language}/tags/{tag_id}"


def story_path(language: str, story_id: str) -> str:
    return f"/{language}/stories/{story_id}"


def feed_path(page_path: str, ext: str) -> str:
    """The feed of a list page: ``/en/`` -> ``/en/feed.atom``,
    ``/en/tags/x`` -> ``/en/tags/x/feed.atom``."""
    return f"{page_path.rstrip('/')}/feed.{ext}"
