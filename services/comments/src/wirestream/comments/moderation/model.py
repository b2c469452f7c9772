"""The values moderation works on: the candidate comment, decisions and the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CommentCandidate",
    "Decision",
    "ModerationResult",
    "ModerationStatus",
    "Outcome",
    "ReaderStatus",
    "Step",
]


class Outcome(StrEnum):
    """What one step thinks should happen to the comment."""

    ACCEPT = "accept"
    HOLD = "hold"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Outcome.ACCEPT: 0, Outcome.HOLD: 1, Outcome.REJECT: 2}


class ModerationStatus(StrEnum):
    """The comment's status after the whole pipeline (as in ``CommentPosted.status``)."""

    APPROVED = "approved"
    PENDING = "pending"
    REJECTED = "rejected"


STATUS_FOR_OUTCOME = {
    Outcome.ACCEPT: ModerationStatus.APPROVED,
    Outcome.HOLD: ModerationStatus.PENDING,
    Outcome.REJECT: ModerationStatus.REJECTED,
}


class ReaderStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BANNED = "banned"


class Step(StrEnum):
    """The pipeline's steps, in the order they run."""

    READER = "reader-status"
    ARTICLE = "article-open"
    LENGTH = "length"
    WORDS = "wordlists"
    LINKS = "links"
    REPEATS = "repeats"
    NEW_READER = "new-reader"
    SCORER = "scorer"
    PREMODERATION = "premoderation"


@dataclass(frozen=True, slots=True)
class CommentCandidate:
    """Everything moderation needs to know about a comment that is being posted.

    ``recent_bodies_by_author`` are the author's latest comment bodies (the
    caller chooses the window); ``language`` is the article's language when
    known, and is guessed from the text when not.
    """

    body: str
    author_id: str
    ip: str
    article_id: str
    reader_approved_count: int = 0
    reader_status: ReaderStatus = ReaderStatus.ACTIVE
    article_comments_closed: bool = False
    premoderation: bool = False
    recent_bodies_by_author: Sequence[str] = field(default_factory=list)
    language: str | None = None

    def __post_init__(self) -> None:
        # Accept plain strings from the edge but fail loudly on an unknown status.
        object.__setattr__(self, "reader_status", ReaderStatus(self.reader_status))


@dataclass(frozen=True, slots=True)
class Decision:
    """One step's verdict, with a reason code and explanations for people.

    ``detail`` is for moderators (the word that matched, the score); the
    explanations are safe to show to the reader who wrote the comment.
    """

    step: Step
    outcome: Outcome
    reason: str
    explanation_en: str
    explanation_ar: str
    detail: str = ""

    def explanation(self, language: str | None) -> str:
        """The explanation in ``language`` (Arabic or, by default, English)."""
        return self.explanation_ar if (language or "").startswith("ar") else self.explanation_en


@dataclass(frozen=True, slots=True)
class ModerationResult:
    """The pipeline's verdict: the most severe outcome, and every step's decision."""

    status: ModerationStatus
    decisions: list[Decision]

    @property
    def refusals(self) -> list[Decision]:
        """The decisions that held or rejected the comment, most severe first."""
        refused = [d for d in self.decisions if d.outcome is not Outcome.ACCEPT]
        return sorted(refused, key=lambda d: -d.outcome.severity)

    @property
    def reason(self) -> str | None:
        """The reason code of the decisive refusal, or ``None`` when approved."""
        refusals = self.refusals
        return refusals[0].reason if refusals else None
