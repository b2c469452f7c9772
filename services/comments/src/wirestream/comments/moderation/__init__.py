"""Comment moderation: pure steps, one pipeline, an optional external scorer.

Typical use at the composition root::

    config = ModerationConfig(banned_words=load_wordlist(path), ...)
    scorer = ExternalScorer.from_config(config, client=http_client)
    result = await moderate(candidate, config=config, scorer=scorer)
"""

from .config import ModerationConfig
from .matching import WordMatcher
from .model import (
    CommentCandidate,
    Decision,
    ModerationResult,
    ModerationStatus,
    Outcome,
    ReaderStatus,
    Step,
)
from .pipeline import moderate
from .scorer import ExternalScorer, Scorer, ScorerUnavailable, guess_language
from .wordlists import DEFAULT_WORDLISTS, WordLists, load_wordlist, parse_wordlist

__all__ = [
    "DEFAULT_WORDLISTS",
    "CommentCandidate",
    "Decision",
    "ExternalScorer",
    "ModerationConfig",
    "ModerationResult",
    "ModerationStatus",
    "Outcome",
    "ReaderStatus",
    "Scorer",
    "ScorerUnavailable",
    "Step",
    "WordLists",
    "WordMatcher",
    "guess_language",
    "load_wordlist",
    "moderate",
    "parse_wordlist",
]
