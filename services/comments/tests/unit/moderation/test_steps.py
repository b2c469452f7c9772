"""Each moderation step on its own: when it accepts, holds and rejects."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from wirestream.comments.moderation import (
    CommentCandidate,
    Decision,
    ModerationConfig,
    Outcome,
    ReaderStatus,
    Step,
)
from wirestream.comments.moderation.messages import MESSAGES
from wirestream.comments.moderation.steps import (
    check_article,
    check_length,
    check_links,
    check_new_reader,
    check_premoderation,
    check_reader,
    check_repeats,
    check_words,
)

MakeCandidate = Callable[..., CommentCandidate]
ARABIC = re.compile(r"[\u0600-\u06ff]")


def assert_decision(decision: Decision, step: Step, outcome: Outcome, reason: str) -> None:
    assert (decision.step, decision.outcome, decision.reason) == (step, outcome, reason)
    assert decision.explanation_en and not ARABIC.search(decision.explanation_en)
    assert ARABIC.search(decision.explanation_ar)
    assert decision.explanation("ar") == decision.explanation_ar
    assert decision.explanation("en-GB") == decision.explanation(None) == decision.explanation_en


def test_every_reason_has_both_explanations() -> None:
    for english, arabic in MESSAGES.values():
        assert english and ARABIC.search(arabic)
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", arabic))


@pytest.mark.parametrize(
    ("status", "outcome", "reason"),
    [
        (ReaderStatus.ACTIVE, Outcome.ACCEPT, "reader-active"),
        (ReaderStatus.SUSPENDED, Outcome.REJECT, "reader-suspended"),
        (ReaderStatus.BANNED, Outcome.REJECT, "reader-banned"),
        ("banned", Outcome.REJECT, "reader-banned"),  # plain strings from the edge
    ],
)
def test_reader_status(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    status: str,
    outcome: Outcome,
    reason: str,
) -> None:
    decision = check_reader(make_candidate(reader_status=status), config)
    assert_decision(decision, Step.READER, outcome, reason)


def test_unknown_reader_status_is_refused_at_construction(make_candidate: MakeCandidate) -> None:
    with pytest.raises(ValueError, match="deleted"):
        make_candidate(reader_status="deleted")


def test_closed_article(make_candidate: MakeCandidate, config: ModerationConfig) -> None:
    closed = check_article(make_candidate(article_comments_closed=True), config)
    assert_decision(closed, Step.ARTICLE, Outcome.REJECT, "comments-closed")
    assert_decision(
        check_article(make_candidate(), config), Step.ARTICLE, Outcome.ACCEPT, "comments-open"
    )


@pytest.mark.parametrize(
    ("body", "outcome", "reason"),
    [
        ("abc", Outcome.ACCEPT, "length-ok"),
        ("ab", Outcome.REJECT, "too-short"),
        ("   ab  \n", Outcome.REJECT, "too-short"),  # padding does not count
        ("a\u200b\u200b\u200bb", Outcome.REJECT, "too-short"),  # nor do invisible characters
        ("x" * 20, Outcome.ACCEPT, "length-ok"),
        ("x" * 21, Outcome.REJECT, "too-long"),
        ("ب" * 21, Outcome.REJECT, "too-long"),
    ],
)
def test_length_limits(
    make_candidate: MakeCandidate, body: str, outcome: Outcome, reason: str
) -> None:
    config = ModerationConfig(min_length=3, max_length=20)
    decision = check_length(make_candidate(body), config)
    assert_decision(decision, Step.LENGTH, outcome, reason)
    if reason != "length-ok":
        assert ("3" if reason == "too-short" else "20") in decision.explanation_en
        assert ("3" if reason == "too-short" else "20") in decision.explanation_ar


@pytest.mark.parametrize(
    ("body", "outcome", "reason", "detail"),
    [
        ("A perfectly polite remark.", Outcome.ACCEPT, "no-listed-words", ""),
        ("You are an @$$.", Outcome.REJECT, "banned-word", "ass"),
        ("يا والحمـــار", Outcome.REJECT, "banned-word", "حمار"),
        ("What an IDIOT.", Outcome.HOLD, "suspect-word", "idiot"),
        ("كلام غبى", Outcome.HOLD, "suspect-word", "غبي"),
        ("idiot and a s s", Outcome.REJECT, "banned-word", "ass"),  # banned wins
        ("A classic assistant in class.", Outcome.ACCEPT, "no-listed-words", ""),
    ],
)
def test_words(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    body: str,
    outcome: Outcome,
    reason: str,
    detail: str,
) -> None:
    decision = check_words(make_candidate(body), config)
    assert_decision(decision, Step.WORDS, outcome, reason)
    assert decision.detail == detail
    assert "ass" not in decision.explanation_en.split()  # readers are not told the word


def test_words_are_only_read_up_to_max_length(make_candidate: MakeCandidate) -> None:
    config = ModerationConfig(max_length=30, banned_words=("ass",))
    tail = check_words(make_candidate("x " * 20 + "ass"), config)
    assert tail.outcome is Outcome.ACCEPT  # check_length rejects this body anyway


@pytest.mark.parametrize(
    ("links", "outcome", "reason"),
    [
        (0, Outcome.ACCEPT, "links-ok"),
        (2, Outcome.ACCEPT, "links-ok"),
        (3, Outcome.HOLD, "too-many-links"),
    ],
)
def test_link_limit(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    links: int,
    outcome: Outcome,
    reason: str,
) -> None:
    body = " ".join(f"see https://site{i}.example.com/page" for i in range(links)) or "no links"
    decision = check_links(make_candidate(body), config)
    assert_decision(decision, Step.LINKS, outcome, reason)


def test_bare_hosts_count_as_links(make_candidate: MakeCandidate, config: ModerationConfig) -> None:
    decision = check_links(make_candidate("www.a.com www.b.com www.c.com"), config)
    assert decision.outcome is Outcome.HOLD
    assert decision.detail == "3 links"


@pytest.mark.parametrize(
    ("body", "recent", "outcome"),
    [
        ("Great article!", [], Outcome.ACCEPT),
        ("Great article!", ["Something else"], Outcome.ACCEPT),
        ("Great article!", ["Something else", "Great article!"], Outcome.REJECT),
        ("GREAT   article!!!", ["great article"], Outcome.REJECT),
        ("مَقالٌ رائــع", ["مقال رائع"], Outcome.REJECT),
        ("Great article\u200b!", ["Great article!"], Outcome.REJECT),
        ("👍", ["👎"], Outcome.ACCEPT),
        ("👍", ["👍"], Outcome.REJECT),
        ("Great article, again", ["Great article!"], Outcome.ACCEPT),
    ],
)
def test_repeated_posts(
    make_candidate: MakeCandidate,
    config: ModerationConfig,
    body: str,
    recent: list[str],
    outcome: Outcome,
) -> None:
    decision = check_repeats(make_candidate(body, recent_bodies_by_author=recent), config)
    reason = "repeated-post" if outcome is Outcome.REJECT else "not-repeated"
    assert_decision(decision, Step.REPEATS, outcome, reason)


@pytest.mark.parametrize(
    ("approved", "threshold", "outcome"),
    [(0, 1, Outcome.HOLD), (1, 1, Outcome.ACCEPT), (2, 3, Outcome.HOLD), (0, 0, Outcome.ACCEPT)],
)
def test_new_readers_are_held(
    make_candidate: MakeCandidate, approved: int, threshold: int, outcome: Outcome
) -> None:
    config = ModerationConfig(new_reader_threshold=threshold)
    decision = check_new_reader(make_candidate(reader_approved_count=approved), config)
    reason = "new-reader" if outcome is Outcome.HOLD else "established-reader"
    assert_decision(decision, Step.NEW_READER, outcome, reason)


def test_premoderation(make_candidate: MakeCandidate, config: ModerationConfig) -> None:
    held = check_premoderation(make_candidate(premoderation=True), config)
    assert_decision(held, Step.PREMODERATION, Outcome.HOLD, "premoderation")
    passed = check_premoderation(make_candidate(), config)
    assert_decision(passed, Step.PREMODERATION, Outcome.ACCEPT, "premoderation-off")


def test_candidate_defaults_to_an_active_reader() -> None:
    candidate = CommentCandidate(body="hi", author_id="a", ip="::1", article_id="x")
    assert candidate.reader_status is ReaderStatus.ACTIVE
    assert candidate.recent_bodies_by_author == []
