"""Test helpers shared by every package: event factories with random ids, waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .events import Article, ArticleIngested, CommentPosted, new_id


def make_article(**overrides: Any) -> Article:
    """An English article with random ids; override any field."""
    uid = new_id()[:10]
    fields: dict[str, Any] = {
        "article_id": f"art{uid}", "agency": "testwire", "uri": f"urn:test:{uid}",
        "version": 1, "language": "en", "headline": f"Test headline {uid}",
        "body_html": "<p>Body text of a test article.</p>",
    }
    fields.update(overrides)
    return Article(**fields)


def make_ingested(**overrides: Any) -> ArticleIngested:
    return ArticleIngested(article=make_article(**overrides))


def make_comment(**overrides: Any) -> CommentPosted:
    fields: dict[str, Any] = {"comment_id": new_id(), "article_id": "art1", "author": "reader",
                              "body": "A comment"}
    fields.update(overrides)
    return CommentPosted(**fields)


async def eventually(check: Callable[[], Awaitable[Any]], *, timeout: float = 15.0,
                     interval: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy; fail with its last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
