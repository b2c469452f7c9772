"""Shared test data for the moderation tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from wirestream.comments.moderation import CommentCandidate, ModerationConfig

MakeCandidate = Callable[..., CommentCandidate]


@pytest.fixture
def make_candidate() -> MakeCandidate:
    """A factory for candidates from an established, active reader, random ids."""

    def make(
        body: str = "A thoughtful comment about the article.", **overrides: Any
    ) -> CommentCandidate:
        fields: dict[str, Any] = {
            "author_id": uuid.uuid4().hex,
            "ip": "192.0.2.10",
            "article_id": uuid.uuid4().hex,
            "reader_approved_count": 5,
        }
        return CommentCandidate(body=body, **(fields | overrides))

    return make


@pytest.fixture
def config() -> ModerationConfig:
    return ModerationConfig(
        banned_words=("ass", "حمار", "أحمق"),
        suspect_words=("idiot", "غبي"),
        max_links=2,
        new_reader_threshold=1,
    )
