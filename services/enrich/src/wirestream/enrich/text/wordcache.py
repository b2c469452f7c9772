"""A bounded memo of per-word results that the garbage collector has nothing to walk.

``functools.lru_cache`` keeps a linked-list node (a list) per entry, and the
matcher's entries held a frozenset each: at 50,000 words per cache that was
about 200,000 objects the collector tracks. Frozen start-up heap aside, they were
most of what enrich's full collections walked, 100-280 ms of its loop each, a
few times a minute under load. Here the memo is a dict of strings to strings or
tuples (which the collector stops tracking), emptied when it is full: news
vocabulary is Zipfian, and the common words come back within a few articles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class WordCache(Generic[V]):
    """``fn(word)``, remembered for up to ``size`` words at a time."""

    def __init__(self, fn: Callable[[str], V], size: int) -> None:
        self.fn = fn
        self.size = size
        self._memo: dict[str, V] = {}

    def __call__(self, word: str) -> V:
        try:
            return self._memo[word]
        except KeyError:
            pass
        if len(self._memo) >= self.size:
            self._memo = {}
        value = self._memo[word] = self.fn(word)
        return value

    def __len__(self) -> int:
        return len(self._memo)
