"""The moderation steps. Each looks at one aspect of a comment and returns a Decision."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from wirestream.common.textnorm import fold, tokenize

from ..text import count_links
from .config import ModerationConfig
from .matching import matcher_for
from .messages import decide
from .model import CommentCandidate, Decision, Outcome, ReaderStatus, Step
from .scorer import Scorer, ScorerUnavailable, guess_language

__all__ = [
    "SYNC_STEPS",
    "check_article",
    "check_length",
    "check_links",
    "check_new_reader",
    "check_premoderation",
    "check_reader",
    "check_repeats",
    "check_scorer",
    "check_words",
]

StepFn = Callable[[CommentCandidate, ModerationConfig], Decision]


def _text(body: str, config: ModerationConfig) -> str:
    # The steps that read the text stop at max_length characters: anything
    # longer is rejected by check_length anyway, and this way a megabyte of
    # text costs no more to analyse than a normal comment.
    return body[: config.max_length]


def check_reader(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """Banned and suspended readers may not comment."""
    if candidate.reader_status is ReaderStatus.BANNED:
        return decide(Step.READER, Outcome.REJECT, "reader-banned")
    if candidate.reader_status is ReaderStatus.SUSPENDED:
        return decide(Step.READER, Outcome.REJECT, "reader-suspended")
    return decide(Step.READER, Outcome.ACCEPT, "reader-active")


def check_article(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """No comments on an article whose comments are closed."""
    if candidate.article_comments_closed:
        return decide(Step.ARTICLE, Outcome.REJECT, "comments-closed")
    return decide(Step.ARTICLE, Outcome.ACCEPT, "comments-open")


def check_length(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """Visible length at least ``min_length``; stored length at most ``max_length``."""
    visible, stored = len(fold(candidate.body)), len(candidate.body)
    if visible < config.min_length:
        return decide(
            Step.LENGTH,
            Outcome.REJECT,
            "too-short",
            detail=f"{visible} visible characters",
            limit=config.min_length,
        )
    if stored > config.max_length:
        return decide(
            Step.LENGTH,
            Outcome.REJECT,
            "too-long",
            detail=f"{stored} characters",
            limit=config.max_length,
        )
    return decide(Step.LENGTH, Outcome.ACCEPT, "length-ok")


def check_words(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """Banned words reject and suspect words hold, whatever their spelling tricks."""
    text = _text(candidate.body, config)
    banned = matcher_for(config.banned_words).find(text)
    if banned:
        return decide(Step.WORDS, Outcome.REJECT, "banned-word", detail=", ".join(banned))
    suspect = matcher_for(config.suspect_words).find(text)
    if suspect:
        return decide(Step.WORDS, Outcome.HOLD, "suspect-word", detail=", ".join(suspect))
    return decide(Step.WORDS, Outcome.ACCEPT, "no-listed-words")


def check_links(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """More than ``max_links`` web addresses holds the comment."""
    links = count_links(_text(candidate.body, config))
    if links > config.max_links:
        return decide(
            Step.LINKS,
            Outcome.HOLD,
            "too-many-links",
            detail=f"{links} links",
            limit=config.max_links,
        )
    return decide(Step.LINKS, Outcome.ACCEPT, "links-ok")


@lru_cache(maxsize=4096)  # an author's recent bodies come up again with each new comment
def _repeat_key(body: str) -> str:
    # Words only, so "Great!" and "great!!!" are one post; text with no words
    # at all (emoji) falls back to the folded body so 👍 and 👎 differ.
    return " ".join(tokenize(body)) or fold(body)


def check_repeats(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """Posting the same text as one of the author's recent comments is refused."""
    key = _repeat_key(_text(candidate.body, config))
    recent = candidate.recent_bodies_by_author
    if any(_repeat_key(_text(body, config)) == key for body in recent):
        return decide(Step.REPEATS, Outcome.REJECT, "repeated-post")
    return decide(Step.REPEATS, Outcome.ACCEPT, "not-repeated")


def check_new_reader(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """Readers with fewer than ``new_reader_threshold`` approved comments are held."""
    if candidate.reader_approved_count < config.new_reader_threshold:
        return decide(
            Step.NEW_READER,
            Outcome.HOLD,
            "new-reader",
            detail=f"{candidate.reader_approved_count} approved comments",
        )
    return decide(Step.NEW_READER, Outcome.ACCEPT, "established-reader")


async def check_scorer(candidate: CommentCandidate, scorer: Scorer | None) -> Decision:
    """Hold when the external scorer's score reaches its threshold, or it fails."""
    if scorer is None:
        return decide(Step.SCORER, Outcome.ACCEPT, "scorer-disabled")
    language = candidate.language or guess_language(candidate.body)
    try:
        score = await scorer.score(candidate.body, language=language)
    except ScorerUnavailable as exc:
        return decide(Step.SCORER, Outcome.HOLD, "scorer-unavailable", detail=str(exc))
    detail = f"score {score:.3f}, threshold {scorer.threshold:.3f}"
    if score >= scorer.threshold:
        return decide(Step.SCORER, Outcome.HOLD, "scorer-flagged", detail=detail)
    return decide(Step.SCORER, Outcome.ACCEPT, "scorer-passed", detail=detail)


def check_premoderation(candidate: CommentCandidate, config: ModerationConfig) -> Decision:
    """With pre-moderation on, every comment waits for a moderator."""
    if candidate.premoderation:
        return decide(Step.PREMODERATION, Outcome.HOLD, "premoderation")
    return decide(Step.PREMODERATION, Outcome.ACCEPT, "premoderation-off")


# Steps 1-7, which need nothing but the candidate and the config.
SYNC_STEPS: tuple[StepFn, ...] = (
    check_reader,
    check_article,
    check_length,
    check_words,
    check_links,
    check_repeats,
    check_new_reader,
)
