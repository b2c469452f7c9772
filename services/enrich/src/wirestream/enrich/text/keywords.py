"""Free keywords (YAKE) for what the taxonomy does not know yet.

Keywords are tags of kind ``keyword`` with ``kw:`` ids, kept apart from
taxonomy tags: anything that repeats a matched person, place or organisation
is dropped, so "President Putin" does not come back as a keyword next to the
tag for Vladimir Putin.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import yake

from wirestream.common.events import Tag
from wirestream.common.textnorm import fold, tokenize, word_variants

# YAKE splits on spaces, so it has nothing to offer for Chinese.
YAKE_LANGUAGES = frozenset({"ar", "en", "fr", "de", "es", "ru"})
MAX_NGRAM = {"ar": 2}  # Arabic words carry their clitics: two words already say a lot
# YAKE (pure Python) costs ~10 ms per 1000 characters, half of enrich's time per article;
# the headline and lead carry the keywords anyway. 500 characters (down from 1200, then
# 800) leave the four services room for 50 items/s on two cores (bench/publish.py):
# the first keywords are the same, the last ones come from the lead rather than the body.
MAX_CHARS = 500


@lru_cache(maxsize=16)
def _extractor(language: str, top: int) -> tuple[yake.KeywordExtractor, frozenset[str]]:
    n = MAX_NGRAM.get(language, 3)
    extractor = yake.KeywordExtractor(lan=language, n=n, top=top, dedup_lim=0.8)
    return extractor, frozenset(fold(w) for w in extractor.stopword_set)


_ARABIC_PUNCTUATION = str.maketrans({"،": ",", "؛": ";", "؟": "?"})


def _content_variants(text: str, stopwords: frozenset[str]) -> set[str]:
    return {
        v
        for token in tokenize(text)
        if token not in stopwords and len(token) > 2
        for v in word_variants(token)
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
    extractor, stopwords = _extractor(language, top * 3)
    excluded = _excluded_words(exclude, stopwords)
    sample = text[:MAX_CHARS].translate(_ARABIC_PUNCTUATION)
    candidates = extractor.extract_keywords(sample)
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
