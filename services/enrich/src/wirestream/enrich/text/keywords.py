"""Free keywords (YAKE, :mod:`.yake_lite`) for what the taxonomy does not know yet.

Keywords are tags of kind ``keyword`` with ``kw:`` ids, kept apart from
taxonomy tags: anything that repeats a matched person, place or organisation
is dropped, so "President Putin" does not come back as a keyword next to the
tag for Vladimir Putin.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from wirestream.common.events import Tag
from wirestream.common.textnorm import fold, tokenize, word_variants
from wirestream.enrich.text import yake_lite

# YAKE splits on spaces, so it has nothing to offer for Chinese.
YAKE_LANGUAGES = frozenset({"ar", "en", "fr", "de", "es", "ru"})
MAX_NGRAM = {"ar": 2}  # Arabic words carry their clitics: two words already say a lot
# The headline, lead and first paragraphs. The yake package cost ~10 ms per 1000
# characters, which had cut this to 500; yake_lite gives the same keywords for ~2 ms per
# 1000 characters, so 1200 (the first choice) is back and still ~3x cheaper than 500 were.
MAX_CHARS = 1200
DEDUP_LIMIT = 0.8


@lru_cache(maxsize=16)
def _stopwords(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """yake's stopwords as it compares them (lower case), and folded for :func:`overlaps`."""
    words = yake_lite.stopwords(language)
    return words, frozenset(fold(w) for w in words)


_ARABIC_PUNCTUATION = str.maketrans({"،": ",", "؛": ";", "؟": "?"})


@lru_cache(maxsize=20_000)  # bounded like the matcher's token caches; names and labels repeat
def _variants(token: str) -> frozenset[str]:
    return frozenset(word_variants(token))


def _content_variants(text: str, stopwords: frozenset[str]) -> set[str]:
    return {
        v
        for token in tokenize(text)
        if token not in stopwords and len(token) > 2
        for v in _variants(token)
    }


def overlaps(
    keyword: str, excluded: Iterable[str], stopwords: frozenset[str] = frozenset()
) -> bool:
    """True if a content word of ``keyword`` is also one of an ``excluded`` phrase.

    Shared words count through their variants ("Putin's" is "Putin"), so a
    keyword that repeats any part of a tagged name is dropped ("President
    Vladimir" next to the tag for Vladimir Putin).
    """
    return bool(_content_variants(keyword, stopwords) & _excluded_words(excluded, stopwords))


def _excluded_words(excluded: Iterable[str], stopwords: frozenset[str]) -> set[str]:
    return {v for term in excluded for v in _content_variants(term, stopwords)}


def extract_keywords(
    text: str,
    language: str,
    top: int = 8,
    exclude: Iterable[str] = frozenset(),
) -> list[Tag]:
    """Up to ``top`` keyword tags for ``text``, best first, none overlapping ``exclude``.

    ``exclude`` holds terms already covered by taxonomy tags (matched surface
    forms and labels). Confidence falls with rank. Languages YAKE cannot
    handle give no keywords.
    """
    if language not in YAKE_LANGUAGES or not text.strip():
        return []
    yake_stopwords, stopwords = _stopwords(language)
    excluded = _excluded_words(exclude, stopwords)
    sample = text[:MAX_CHARS].translate(_ARABIC_PUNCTUATION)
    candidates = yake_lite.extract(
        sample,
        yake_stopwords,
        n=MAX_NGRAM.get(language, 3),
        top=top * 3,
        dedup_lim=DEDUP_LIMIT,
    )
    tags: list[Tag] = []
    kept: list[set[str]] = []
    for keyword, _score in candidates:
        key = fold(keyword)
        words = _content_variants(keyword, stopwords)
        if sum(ch.isalpha() for ch in key) < 3 or words & excluded:
            continue
        # YAKE returns overlapping n-grams ("phone call", "held a phone"); keep the first.
        if not words or any(len(words & k) * 2 >= len(words) for k in kept):
            continue
        kept.append(words)
        confidence = round(max(0.1, 0.9 - 0.08 * len(tags)), 3)
        tags.append(
            Tag(kind="keyword", id=f"kw:{key}", labels={language: keyword}, confidence=confidence)
        )
        if len(tags) == top:
            break
    return tags
