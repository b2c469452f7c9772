"""An optional external scorer: POST the text, get back how likely it is to be abusive.

The scorer only ever *holds* a comment. When it is slow, down or answers
nonsense, the comment is held for a moderator with reason
``scorer-unavailable``: a comment is never lost or rejected because a
third-party service failed.
"""

from __future__ import annotations

import asyncio
import re
from typing import Protocol

import httpx
from pydantic import BaseModel, Field, ValidationError

from .config import ModerationConfig

__all__ = ["ExternalScorer", "Scorer", "ScorerUnavailable", "guess_language"]

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


class ScorerUnavailable(Exception):
    """The scorer gave no usable answer (timeout, transport error, bad status or body)."""


class Scorer(Protocol):
    """What the pipeline needs from a scorer; tests pass hand-written fakes."""

    threshold: float

    async def score(self, text: str, *, language: str) -> float:
        """A score in [0, 1], higher meaning more likely to need review."""
        ...


class _ScoreResponse(BaseModel):
    score: float = Field(ge=0, le=1)


def guess_language(text: str) -> str:
    """``"ar"`` when Arabic letters outnumber Latin ones, else ``"en"``."""
    return "ar" if len(_ARABIC.findall(text)) > len(_LATIN.findall(text)) else "en"


class ExternalScorer:
    """Score comments with an HTTP service: ``POST url {"text", "language"} -> {"score"}``.

    The caller owns ``client`` (its lifetime, pooling and TLS settings);
    ``timeout`` bounds the whole request, not just each socket operation.
    """

    def __init__(
        self, url: str, *, client: httpx.AsyncClient, timeout: float, threshold: float
    ) -> None:
        self.url = url
        self.client = client
        self.timeout = timeout
        self.threshold = threshold

    @classmethod
    def from_config(
        cls, config: ModerationConfig, *, client: httpx.AsyncClient
    ) -> ExternalScorer | None:
        """The scorer ``config`` describes, or ``None`` when no URL is configured."""
        if config.scorer_url is None:
            return None
        return cls(
            str(config.scorer_url),
            client=client,
            timeout=config.scorer_timeout,
            threshold=config.scorer_threshold,
        )

    async def score(self, text: str, *, language: str) -> float:
        """Ask the service for a score; raise :class:`ScorerUnavailable` on any failure."""
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.client.post(
                    self.url,
                    json={"text": text, "language": language},
                    timeout=self.timeout,
                )
                response.raise_for_status()
                return _ScoreResponse.model_validate_json(response.content).score
        except TimeoutError as exc:
            raise ScorerUnavailable(f"timed out after {self.timeout}s") from exc
        except httpx.HTTPStatusError as exc:
            raise ScorerUnavailable(f"HTTP {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise ScorerUnavailable(f"{type(exc).__name__}: {exc}") from exc
        except ValidationError as exc:
            raise ScorerUnavailable(f"invalid response: {exc.error_count()} error(s)") from exc
