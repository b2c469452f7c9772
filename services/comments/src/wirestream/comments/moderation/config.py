"""Moderation settings: one immutable pydantic model, filled by the service's settings."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from .wordlists import DEFAULT_BANNED_WORDS, DEFAULT_SUSPECT_WORDS

__all__ = ["ModerationConfig"]


class ModerationConfig(BaseModel):
    """Thresholds and word lists for :func:`~wirestream.comments.moderation.moderate`.

    ``min_length`` counts visible characters (after folding, so padding with
    spaces or zero-width characters does not help); ``max_length`` counts the
    characters as stored. A reader with fewer than ``new_reader_threshold``
    approved comments is held for review. The ``scorer_*`` fields configure
    the optional external scorer (see ``ExternalScorer.from_config``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_length: int = Field(default=2, ge=0)
    max_length: int = Field(default=5000, ge=1)
    banned_words: tuple[str, ...] = DEFAULT_BANNED_WORDS
    suspect_words: tuple[str, ...] = DEFAULT_SUSPECT_WORDS
    max_links: int = Field(default=2, ge=0)
    new_reader_threshold: int = Field(default=1, ge=0)
    scorer_url: HttpUrl | None = None
    scorer_timeout: float = Field(default=2.0, gt=0, le=60)
    scorer_threshold: float = Field(default=0.8, ge=0, le=1)

    @model_validator(mode="after")
    def _limits_in_order(self) -> Self:
        if self.min_length > self.max_length:
            raise ValueError("min_length must not exceed max_length")
        return self
