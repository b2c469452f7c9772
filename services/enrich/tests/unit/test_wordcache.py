"""The per-word memo: same answers as the function, bounded, nothing for the collector."""

from __future__ import annotations

import gc

from wirestream.enrich.text import matcher, stories
from wirestream.enrich.text.wordcache import WordCache


def test_answers_as_the_function_does_and_stays_within_its_size() -> None:
    calls: list[str] = []

    def upper(word: str) -> str:
        calls.append(word)
        return word.upper()

    cache = WordCache(upper, size=3)
    assert [cache(w) for w in ("a", "b", "a", "c")] == ["A", "B", "A", "C"]
    assert calls == ["a", "b", "c"]  # "a" the second time came from the memo
    cache("d")  # full: emptied, then "d" remembered
    assert len(cache) == 1
    assert cache("a") == "A" and calls[-1] == "a"


def test_the_collector_stops_tracking_what_the_memos_hold() -> None:
    words = [f"word{n}" for n in range(200)] + ["والرئيس", "الرئيس", "Moscow"]
    for w in words:
        matcher._token_info(w)
        stories._canonical(w)
    gc.collect()
    gc.collect()  # a tuple of tuples: the inner one is let go first, the outer next time
    for w in words:
        held = matcher._token_info._memo[w]  # (variants, case rule) as the memo keeps it
        assert isinstance(held[0], tuple) and not gc.is_tracked(held)
        assert not gc.is_tracked(stories._canonical._memo[w])


def test_the_matcher_variants_are_the_same_set_as_before() -> None:
    # The variants were a frozenset; a sorted tuple of the same words answers alike.
    from wirestream.common.textnorm import fold, word_variants

    for surface in ("Moscow", "والرئيس", "NATO", "Putin's"):
        variants, _case = matcher._token_info(surface)
        expected = word_variants(fold(surface))
        if matcher._ARABIC.search(fold(surface)):
            expected = {v for v in expected if fold(surface).endswith(v.removeprefix("ال"))}
        assert set(variants) == set(expected) and list(variants) == sorted(variants)
