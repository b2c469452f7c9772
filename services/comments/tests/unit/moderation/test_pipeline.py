"""moderate(): every step runs, the most severe outcome wins, all decisions are kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from wirestream.comments.moderation import (
    CommentCandidate,
    ModerationConfig,
    ModerationStatus,
    Outcome,
    ScorerUnavailable,
    Step,
    moderate,
)

MakeCandidate = Callable[..., CommentCandidate]


class FakeScorer:
    """Answers a fixed score (or fails) and remembers what it was asked."""

    def __init__(self, score: float = 0.1, *, threshold: float = 0.8, fail: bool = False) -> None:
        self.threshold = threshold
        self._score = score
        self._fail = fail
        self.calls: list[tuple[str, str]] = []

    async def score(self, text: str, *, language: str) -> float:
        self.calls.append((text, language))
        if self._fail:
            raise ScorerUnavailable("connection refused")
        return self._score


async def test_a_clean_comment_is_approved_with_every_step_explained(
    make_candidate: MakeCandidate, config: ModerationConfig
) -> None:
    result = await moderate(make_candidate(), config=config, scorer=FakeScorer())
    assert result.status is ModerationStatus.APPROVED
    assert [d.step for d in result.decisions] == list(Step)
    assert all(d.outcome is Outcome.ACCEPT for d in result.decisions)
    assert result.refusals == []
    assert result.reason is None


async def test_without_a_scorer_the_step_is_recorded_as_disabled(
    make_candidate: MakeCandidate, config: ModerationConfig
) -> None:
    result = await moderate(make_candidate(), config=config)
    scorer_decision = next(d for d in result.decisions if d.step is Step.SCORER)
    assert scorer_decision.reason == "scorer-disabled"
    assert result.status is ModerationStatus.APPROVED


@pytest.mark.parametrize(
    ("overrides", "status", "reasons"),
    [
        ({"reader_status": "banned"}, "rejected", ["reader-banned"]),
        ({"reader_status": "suspended"}, "rejected", ["reader-suspended"]),
        ({"article_comments_closed": True}, "rejected", ["comments-closed"]),
        ({"body": "x"}, "rejected", ["too-short"]),
        ({"body": "y" * 5001}, "rejected", ["too-long"]),
        ({"body": "What an a.s.s"}, "rejected", ["banned-word"]),
        ({"body": "What an idiot"}, "pending", ["suspect-word"]),
        ({"body": "http://a.com http://b.com http://c.com"}, "pending", ["too-many-links"]),
        (
            {"recent_bodies_by_author": ["A thoughtful comment about the article"]},
            "rejected",
            ["repeated-post"],
        ),
        ({"reader_approved_count": 0}, "pending", ["new-reader"]),
        ({"premoderation": True}, "pending", ["premoderation"]),
    ],
)
async def test_each_refusal(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    overrides: dict[str, object],
    status: str,
    reasons: list[str],
) -> None:
    result = await moderate(make_candidate(**overrides), config=config, scorer=FakeScorer())
    assert result.status == status
    assert [d.reason for d in result.refusals] == reasons
    assert result.reason == reasons[0]
    assert len(result.decisions) == len(Step)


async def test_the_most_severe_outcome_wins_and_all_refusals_are_kept(
    make_candidate: MakeCandidate, config: ModerationConfig
) -> None:
    candidate = make_candidate(
        "You idiot, see http://a.com http://b.com http://c.com",
        reader_approved_count=0,
        premoderation=True,
        article_comments_closed=True,
    )
    result = await moderate(candidate, config=config)
    assert result.status is ModerationStatus.REJECTED
    assert result.reason == "comments-closed"
    assert [d.reason for d in result.refusals] == [
        "comments-closed",
        "suspect-word",
        "too-many-links",
        "new-reader",
        "premoderation",
    ]


async def test_holds_without_rejections_give_pending(
    make_candidate: MakeCandidate, config: ModerationConfig
) -> None:
    candidate = make_candidate(reader_approved_count=0, premoderation=True)
    result = await moderate(candidate, config=config)
    assert result.status is ModerationStatus.PENDING
    assert {d.reason for d in result.refusals} == {"new-reader", "premoderation"}


async def test_rejected_comments_are_not_sent_to_the_scorer(
    make_candidate: MakeCandidate, config: ModerationConfig
) -> None:
    scorer = FakeScorer()
    result = await moderate(make_candidate("You @ss"), config=config, scorer=scorer)
    assert scorer.calls == []
    assert next(d for d in result.decisions if d.step is Step.SCORER).reason == "scorer-skipped"
    assert result.status is ModerationStatus.REJECTED


@pytest.mark.parametrize(
    ("scorer", "status", "reason"),
    [
        (FakeScorer(0.79), ModerationStatus.APPROVED, "scorer-passed"),
        (FakeScorer(0.8), ModerationStatus.PENDING, "scorer-flagged"),
        (FakeScorer(0.99), ModerationStatus.PENDING, "scorer-flagged"),
        (FakeScorer(fail=True), ModerationStatus.PENDING, "scorer-unavailable"),
    ],
)
async def test_scorer_outcomes(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    scorer: FakeScorer,
    status: ModerationStatus,
    reason: str,
) -> None:
    result = await moderate(make_candidate(), config=config, scorer=scorer)
    decision = next(d for d in result.decisions if d.step is Step.SCORER)
    assert (result.status, decision.reason) == (status, reason)


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        ("A comment in English", None, "en"),
        ("تعليق باللغة العربية عن CNN", None, "ar"),
        ("Un commentaire", "fr", "fr"),
    ],
)
async def test_the_scorer_is_told_the_language(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    body: str,
    language: str | None,
    expected: str,
) -> None:
    scorer = FakeScorer()
    await moderate(make_candidate(body, language=language), config=config, scorer=scorer)
    assert scorer.calls == [(body, expected)]


def test_config_is_validated_and_immutable() -> None:
    with pytest.raises(ValidationError):
        ModerationConfig(min_length=10, max_length=5)
    with pytest.raises(ValidationError):
        ModerationConfig(scorer_threshold=1.5)
    with pytest.raises(ValidationError):
        ModerationConfig(banned_word=("typo",))  # type: ignore[call-arg]
    config = ModerationConfig(banned_words=["ass"])  # type: ignore[arg-type]
    assert config.banned_words == ("ass",)
    with pytest.raises(ValidationError):
        config.max_links = 10  # type: ignore[misc]
