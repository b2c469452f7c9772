"""Factories for render view models: random ids, sensible defaults, override anything."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from wirestream.publish.render import (
    ArticleView,
    CommentView,
    ListItemView,
    Renderer,
    SiteConfig,
    TagView,
)

NOW = datetime(2025, 3, 5, 14, 30, tzinfo=UTC)


def rid() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture
def site() -> SiteConfig:
    return SiteConfig("Wirestream", "https://news.example", "en")


@pytest.fixture
def renderer(site: SiteConfig) -> Renderer:
    return Renderer(site)


@pytest.fixture
def make_article() -> Callable[..., ArticleView]:
    def make(**overrides: Any) -> ArticleView:
        article_id = overrides.pop("article_id", rid())
        language = overrides.pop("language", "en")
        fields: dict[str, Any] = {
            "article_id": article_id,
            "url": f"/{language}/articles/{article_id}",
            "language": language,
            "headline": "Markets rally as talks resume",
            "summary": "Stocks rose on Tuesday.",
            "body_html": "<p>Stocks rose on Tuesday after negotiators met.</p>",
            "byline": "Jane Doe",
            "sources": ["RT", "Xinhua"],
            "published_at": NOW - timedelta(hours=2),
            "section": "business",
            "comments_api": "https://comments.example",
        }
        fields.update(overrides)
        return ArticleView(**fields)

    return make


@pytest.fixture
def make_item() -> Callable[..., ListItemView]:
    def make(**overrides: Any) -> ListItemView:
        article_id = overrides.pop("article_id", rid())
        language = overrides.pop("language", "en")
        fields: dict[str, Any] = {
            "article_id": article_id,
            "url": f"/{language}/articles/{article_id}",
            "headline": f"Headline {article_id}",
            "language": language,
            "published_at": NOW - timedelta(hours=1),
            "summary": "A short summary.",
            "sources": ["Xinhua"],
        }
        fields.update(overrides)
        return ListItemView(**fields)

    return make


@pytest.fixture
def make_comment() -> Callable[..., CommentView]:
    def make(**overrides: Any) -> CommentView:
        fields: dict[str, Any] = {
            "comment_id": rid(),
            "author": "Reader",
            "body": "Interesting piece.",
            "posted_at": NOW - timedelta(minutes=30),
        }
        fields.update(overrides)
        return CommentView(**fields)

    return make


@pytest.fixture
def make_tag() -> Callable[..., TagView]:
    def make(**overrides: Any) -> TagView:
        tag_id = overrides.pop("id", rid())
        fields: dict[str, Any] = {
            "kind": "place",
            "id": tag_id,
            "label": "Cairo",
            "url": f"/en/tags/{tag_id}",
        }
        fields.update(overrides)
        return TagView(**fields)

    return make


@pytest.fixture
def now() -> datetime:
    return NOW
