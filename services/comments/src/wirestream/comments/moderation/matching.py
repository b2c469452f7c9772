"""Find listed words in a comment despite simple spelling tricks, without substring matches.

A comment is read several ways ("views"): as written; with leetspeak undone
("$h1t", "@ss"); with separators inside words removed ("b.a.d", "b-a-d"); and
with runs of single letters joined ("b a d", "ك ل ب"). Every token of every
view is folded (case, Arabic tashkeel, tatweel and letter forms) and expanded
with :func:`word_variants` (attached clitics, light stem, plurals). A listed
word matches a token only as a *whole* token, so banning "ass" never flags
"class" and an Arabic word never flags a longer word that contains it.

Stretched letters ("baaad", "حماااار") are matched by comparing runs: the
token must spell the listed word letter for letter, each run at least as long
as the listed word's. That covers ``collapse_repeats`` to 1 and to 2 (and
more), while "as" still does not match a listed "ass".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby

from wirestream.common.textnorm import collapse_repeats, fold, tokenize, word_variants

__all__ = ["WordMatcher", "views"]

# 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s
_LEET = str.maketrans("013457@$", "oieastas")
# A chunk that may be leetspeak: word characters mixed with @ and $. Chunks
# with no letter and no @ or $ are plain numbers ("2024") and stay as they are.
_CHUNK = re.compile(r"[\w@$]+")
_LEETISH = re.compile(r"[^\W\d_]|[@$]")
# Separators someone might put between the letters of a word.
_INNER_SEPARATORS = re.compile(r"(?<=[^\W_])[._\-*·•'/\\|+~:,]+(?=[^\W_])")

_Runs = tuple[tuple[str, int], ...]
_MEMO_SIZE = 20_000  # tokens remembered per matcher (a few MB at most)


def _undo_leet(text: str) -> str:
    def undo(match: re.Match[str]) -> str:
        chunk = match.group()
        return chunk.translate(_LEET) if _LEETISH.search(chunk) else chunk

    return _CHUNK.sub(undo, text)


def _join_single_letters(tokens: list[str]) -> list[str]:
    """Join runs of two or more one-letter tokens: ["b", "a", "d"] -> ["bad"]."""
    out: list[str] = []
    for single, group in groupby(tokens, key=lambda t: len(t) == 1):
        items = list(group)
        out.extend(["".join(items)] if single and len(items) > 1 else items)
    return out


def views(text: str) -> list[list[str]]:
    """The distinct token sequences ``text`` is read as (see the module docstring)."""
    folded = fold(text)
    unleet = _undo_leet(folded)
    seqs: list[list[str]] = []
    for variant in (folded, unleet, _INNER_SEPARATORS.sub("", unleet)):
        tokens = tokenize(variant)
        for seq in (tokens, _join_single_letters(tokens)):
            if seq not in seqs:
                seqs.append(seq)
    return seqs


@lru_cache(maxsize=256)
def _views(text: str) -> tuple[tuple[str, ...], ...]:
    # Banned and suspect words are looked for in the same text, one after the other.
    return tuple(tuple(seq) for seq in views(text))


def _runs(word: str) -> _Runs:
    return tuple((char, len(list(group))) for char, group in groupby(word))


def _skeleton(word: str) -> str:
    return collapse_repeats(word, max_run=1)


@lru_cache(maxsize=4096)
def _candidates(token: str) -> frozenset[str]:
    forms = {token, collapse_repeats(token, 1), collapse_repeats(token, 2)}
    return frozenset(v for form in forms for v in word_variants(form))


@lru_cache(maxsize=4096)
def _skeletons(token: str) -> tuple[tuple[str, str], ...]:
    """Each candidate of ``token`` with its skeleton, the key the listed words are under."""
    return tuple((c, _skeleton(c)) for c in _candidates(token))


def _spells(candidate: str, listed: _Runs) -> bool:
    """Whether ``candidate`` spells the listed word, letters possibly stretched."""
    runs = _runs(candidate)
    return len(runs) == len(listed) and all(
        c == w and n >= m for (c, n), (w, m) in zip(runs, listed, strict=True)
    )


class WordMatcher:
    """Match a fixed list of words and short phrases against comment text."""

    def __init__(self, words: Iterable[str]) -> None:
        self._singles: dict[str, list[tuple[_Runs, str]]] = {}
        self._phrases: list[tuple[list[_Runs], str]] = []
        self._memo: dict[str, tuple[str, ...]] = {}
        for word in words:
            parts = tokenize(word)
            if len(parts) == 1:
                entry = (_runs(parts[0]), word)
                self._singles.setdefault(_skeleton(parts[0]), []).append(entry)
            elif parts:
                self._phrases.append(([_runs(p) for p in parts], word))

    def _single_matches(self, token: str) -> Iterator[str]:
        for candidate, skeleton in _skeletons(token):
            for runs, word in self._singles.get(skeleton, ()):
                if _spells(candidate, runs):
                    yield word

    def _token_matches(self, token: str) -> tuple[str, ...]:
        """:meth:`_single_matches`, remembered per token (a pure function of the token
        and this matcher's fixed list; the same words come up in comment after comment)."""
        known = self._memo.get(token)
        if known is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            known = self._memo[token] = tuple(self._single_matches(token))
        return known

    def _token_is(self, token: str, listed: _Runs) -> bool:
        return any(_spells(c, listed) for c in _candidates(token))

    def find(self, text: str) -> list[str]:
        """The listed entries found in ``text``, as written in the list, sorted."""
        if not self._singles and not self._phrases:  # an empty list (banned words, often)
            return []
        found: set[str] = set()
        seqs = _views(text)
        if self._singles:  # a token in several of the views is looked up once
            for token in {token for seq in seqs for token in seq}:
                found.update(self._token_matches(token))
        for seq in seqs:
            for parts, phrase in self._phrases:
                for start in range(len(seq) - len(parts) + 1):
                    window = seq[start : start + len(parts)]
                    if all(self._token_is(t, p) for t, p in zip(window, parts, strict=True)):
                        found.add(phrase)
                        break
        return sorted(found)


@lru_cache(maxsize=16)
def matcher_for(words: tuple[str, ...]) -> WordMatcher:
    """A cached matcher for one word list (config word lists are immutable tuples)."""
    return WordMatcher(words)
