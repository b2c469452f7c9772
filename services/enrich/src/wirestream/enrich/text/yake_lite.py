"""YAKE keyword extraction (Campos et al., 2020) in plain Python.

A faithful, compact copy of what ``yake.KeywordExtractor(...).extract_keywords``
(yake 0.7.3) computes, without its per-term networkx graph, numpy calls and
property layers, which made it ~8 ms per 500 characters (this: ~1.7 ms).
Same sentence splitting and tokens (segtok's, see :mod:`.yake_tokens`), term
tags, stopwords, co-occurrence window, features (WCase, WPos, WFreq, WRel,
WSpread, H), n-gram scores with stopwords inside and deduplication (yake's
default "seqm" similarity, see :mod:`.yake_dedup`);
``tests/unit/text/test_yake_lite.py`` checks keywords, order and scores
against the package. Stopword lists come from the package's own files.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from wirestream.enrich.text.yake_dedup import deduplicate
from wirestream.enrich.text.yake_tokens import split_multi, web_tokens

PUNCTUATION = frozenset(string.punctuation)
_STRIP_PUNCTUATION = str.maketrans("", "", string.punctuation)
_CAPITAL_START = re.compile(r"^(\s*([A-Z]))")


@lru_cache(maxsize=16)
def stopwords(language: str) -> frozenset[str]:
    """yake's stopword list for ``language`` (its language-neutral list if it has none).

    Read from the package's files without importing it (yake imports networkx).
    """
    spec = find_spec("yake")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("yake")
    lists = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList"
    path = lists / f"stopwords_{language[:2].lower()}.txt"
    if not path.exists():
        path = lists / "stopwords_noLang.txt"
    return frozenset(path.read_text(encoding="utf-8").lower().split("\n"))


class _Term:
    """One normalised word (lower case, a final "s" dropped) and its statistics."""

    __slots__ = ("h", "out", "sentences", "stopword", "tf", "tf_a", "tf_n", "wdl", "wil")

    def __init__(self, stopword: bool) -> None:
        self.stopword = stopword
        self.tf = self.tf_a = self.tf_n = 0.0
        self.sentences: list[int] = []  # distinct sentence ids, ascending
        self.out: dict[_Term, float] = {}  # co-occurrence: term on the right -> count
        self.wdl = 0  # distinct terms on the left, and how often
        self.wil = 0.0
        self.h = 0.0


class _Candidate:
    __slots__ = ("clean", "h", "kw", "terms", "tf")

    def __init__(self, kw: str, terms: tuple[_Term, ...], clean: bool) -> None:
        self.kw = kw  # surface form of the first occurrence
        self.terms = terms
        self.tf = 0.0
        self.clean = clean  # some occurrence has neither a digit nor an unusual token
        self.h = 1.0


def tag(word: str, i: int) -> str:
    """yake's tag: d(igits), u(nusual), a(cronym), n (proper noun inside a sentence), p(lain)."""
    bare = word.replace(",", "")
    if bare.isdigit() or bare.replace(".", "", 1).isdigit():
        return "d"
    if not word.isalpha():  # the common case (a plain word) skips the character count
        digits = sum(c.isdigit() for c in word)
        letters = sum(c.isalpha() for c in word)
        signs = sum(c in PUNCTUATION for c in word)
        if (digits and letters) or (not digits and not letters) or signs > 1:
            return "u"
    if word.isupper():
        return "a"
    if i > 0 and len(word) > 1 and word[0].isupper() and sum(c.isupper() for c in word) == 1:
        return "n"
    return "p"


def sentences(text: str) -> list[list[str]]:
    """yake's pre-filter, segtok sentences and tokens, stray apostrophes dropped."""
    text = text.replace("\n", " ")
    text = ("\n\n" if _CAPITAL_START.match(text) else " ") + text.replace("\t", " ")
    return [
        [w for w in web_tokens(s) if w and not (w[0] == "'" and len(w) > 1)]
        for s in split_multi(text)
        if s.strip()
    ]


class _Document:
    def __init__(self, stopword_set: frozenset[str], n: int, window: int) -> None:
        self.stopwords = stopword_set
        self.n = n
        self.window = window
        self.terms: dict[str, _Term] = {}
        self.candidates: dict[str, _Candidate] = {}

    def term(self, lower: str) -> _Term:
        is_stop = lower in self.stopwords
        if lower.endswith("s") and len(lower) > 3:
            lower = lower[:-1]
        term = self.terms.get(lower)
        if term is None:
            is_stop = (
                is_stop
                or lower in self.stopwords
                or len(lower) < 3
                or (not lower.isalpha() and len(lower.translate(_STRIP_PUNCTUATION)) < 3)
            )
            term = self.terms[lower] = _Term(is_stop)
        return term

    def add_sentence(self, sentence_id: int, words: list[str]) -> None:
        # A block is a run of words between punctuation tokens: windows and n-grams stay inside.
        block: list[tuple[bool, str, str, _Term]] = []
        candidates, window, longest = self.candidates, self.window, self.n - 1
        for pos, word in enumerate(words):
            if PUNCTUATION.issuperset(word):
                block = []
                continue
            kind = tag(word, pos)
            lower = word.lower()
            term = self.term(lower)
            term.tf += 1.0
            if kind == "a":
                term.tf_a += 1.0
            elif kind == "n":
                term.tf_n += 1.0
            if not term.sentences or term.sentences[-1] != sentence_id:
                term.sentences.append(sentence_id)
            clean = kind != "u" and kind != "d"
            size = len(block)
            if clean and window > 0:
                for prev_clean, _, _, prev in block[max(0, size - window) :]:
                    if prev_clean:
                        prev.out[term] = prev.out.get(term, 0.0) + 1.0
            # the n-grams ending here, shortest first, in the order yake registers them
            terms: tuple[_Term, ...] = (term,)
            key, kw, all_clean = lower, word, clean
            j = size
            while True:
                cand = candidates.get(key)
                if cand is None:
                    cand = candidates[key] = _Candidate(kw, terms, all_clean)
                elif all_clean:
                    cand.clean = True
                cand.tf += 1.0
                j -= 1
                if j < 0 or j < size - longest:
                    break
                prev_clean, prev_word, prev_lower, prev = block[j]
                key = f"{prev_lower} {key}"
                kw = f"{prev_word} {kw}"
                terms = (prev, *terms)
                all_clean = all_clean and prev_clean
            block.append((clean, word, lower, term))


def _pairwise_sum(values: list[float], lo: int, n: int) -> float:
    # numpy's summation order (pairwise, unrolled by 8), so H matches yake's to the last bit
    if n < 8:
        total = -0.0
        for i in range(lo, lo + n):
            total += values[i]
        return total
    if n <= 128:
        r = values[lo : lo + 8]
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] += values[lo + i + j]
            i += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for k in range(lo + i, lo + n):
            total += values[k]
        return total
    half = n // 2
    half -= half % 8
    return _pairwise_sum(values, lo, half) + _pairwise_sum(values, lo + half, n - half)


def numpy_std(values: list[float], mean: float) -> float:
    """``np.std(values)`` (population), summed in numpy's order."""
    squares = [(v - mean) * (v - mean) for v in values]
    return math.sqrt(_pairwise_sum(squares, 0, len(squares)) / len(squares))


def _score_terms(doc: _Document, number_of_sentences: int) -> bool:
    terms = list(doc.terms.values())
    content_tfs = [t.tf for t in terms if not t.stopword]
    if not content_tfs:
        return False
    for left in terms:
        for right, count in left.out.items():
            right.wdl += 1
            right.wil += count
    max_tf = max(t.tf for t in terms)
    avg_tf = sum(content_tfs) / len(content_tfs)  # counts: exact in any order
    spread = avg_tf + numpy_std(content_tfs, avg_tf)
    for t in terms:
        if t.stopword:
            continue  # a stopword's own H is never used
        pwr = len(t.out) / sum(t.out.values()) if t.out else 0
        pwl = t.wdl / t.wil if t.wil else 0
        wrel = (0.5 + pwl * (t.tf / max_tf)) + (0.5 + pwr * (t.tf / max_tf))
        wfreq = t.tf / spread
        wspread = len(t.sentences) / number_of_sentences
        wcase = max(t.tf_a, t.tf_n) / (1.0 + math.log(t.tf))
        ids, mid = t.sentences, len(t.sentences) // 2
        median = ids[mid] if len(ids) % 2 else (ids[mid - 1] + ids[mid]) / 2
        wpos = math.log(math.log(3.0 + median))
        t.h = (wpos * wrel) / (wcase + wfreq / wrel + wspread / wrel)
    return True


def _score_candidate(cand: _Candidate) -> float:
    sum_h, prod_h = 0.0, 1.0
    terms = cand.terms
    for i, t in enumerate(terms):
        if not t.stopword:
            sum_h += t.h
            prod_h *= t.h
            continue
        # a stopword inside an n-gram: how strongly its neighbours pull it in
        # (a valid candidate never starts or ends with one)
        before, after = terms[i - 1], terms[i + 1]
        p1 = before.out.get(t, 0.0) / before.tf
        p2 = t.out.get(after, 0.0) / after.tf
        prob = p1 * p2
        prod_h *= 1 + (1 - prob)
        sum_h -= 1 - prob
    denominator = (sum_h + 1) * cand.tf
    # yake's numpy floats give inf rather than raise when stopwords cancel the sum out
    return prod_h / denominator if denominator else math.inf


def extract(
    text: str,
    stopword_set: Iterable[str],
    *,
    n: int = 3,
    top: int = 20,
    dedup_lim: float = 0.9,
    window: int = 1,
) -> list[tuple[str, float]]:
    """``(keyword, score)`` best (lowest score) first, as ``yake.KeywordExtractor`` gives.

    ``stopword_set`` as yake holds it (lower case), e.g. :func:`stopwords`; ``n`` the
    longest n-gram, ``dedup_lim`` the similarity above which a keyword is dropped for
    one ranked before it (1.0: no deduplication), ``window`` the co-occurrence window.
    """
    if not text:
        return []
    doc = _Document(frozenset(stopword_set), n, window)
    split = sentences(text)
    for sentence_id, words in enumerate(split):
        doc.add_sentence(sentence_id, words)
    if not _score_terms(doc, len(split)):
        return []
    valid = [
        (key, c)
        for key, c in doc.candidates.items()
        if c.clean and not c.terms[0].stopword and not c.terms[-1].stopword
    ]
    for _, c in valid:
        c.h = _score_candidate(c)
    valid.sort(key=lambda kc: kc[1].h)  # stable: ties stay in order of first occurrence
    ranked = [(key, c.kw, c.h) for key, c in valid]
    return deduplicate(ranked, top=top, limit=dedup_lim)
