"""WordMatcher: spelling tricks are caught, innocent words are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirestream.comments.moderation import WordMatcher

BANNED = WordMatcher(["ass", "bad", "حمار", "أحمق", "حقيرة", "غبي", "kill yourself"])


@pytest.mark.parametrize(
    "text",
    [
        "حمار",
        "حِمَار",  # tashkeel
        "حَمَّارٌ",  # tashkeel with shadda and tanween
        "حمـــار",  # tatweel
        "حمــِـار",  # both
        "حماااار",  # repeated letters
        "حمممار",
        "حماارر",
        "الحمار",  # article
        "والحمار",  # و + ال
        "بالحمار",  # ب + ال
        "للحمار",  # ل + ال written لل
        "وحمار",  # و
        "فحمار",  # ف
        "كالحمار",  # ك + ال
        "يا حمار!",
        "ح م ا ر",  # spaced letters
        "ح.م.ا.ر",  # dotted letters
        "حمار\u200b",  # zero-width space
        "ح\u200cمار",  # zero-width non-joiner inside
    ],
)
def test_arabic_spellings_of_a_banned_word_match(text: str) -> None:
    assert BANNED.find(f"هذا {text} فعلا") == ["حمار"]


@pytest.mark.parametrize(
    "text",
    ["أحمق", "احمق", "إحمق", "آحمق", "ٱحمق", "الأحمق", "والاحمق", "وأحمق", "أَحْمَق", "أحمـــق"],
)
def test_alef_and_hamza_forms_match(text: str) -> None:
    assert BANNED.find(text) == ["أحمق"]


@pytest.mark.parametrize(
    ("text", "word"), [("غبى", "غبي"), ("حقيره", "حقيرة"), ("يا غبيي", "غبي"), ("غبية", "غبي")]
)
def test_alef_maqsura_and_taa_marbuta_forms_match(text: str, word: str) -> None:
    assert BANNED.find(text) == [word]


@pytest.mark.parametrize(
    "text",
    [
        "ASS",
        "Ass",
        "a$$",
        "@ss",
        "4ss",
        "@$$",
        "a.s.s",
        "A.S.S.",
        "a s s",
        "a-s-s",
        "a_s_s",
        "a*s*s",
        "aaasss",
        "asssss",
        "asses",
        "ass's",
        "ａｓｓ",  # full-width
        "a\u200bss",  # zero-width space inside
    ],
)
def test_english_tricks_match(text: str) -> None:
    assert BANNED.find(f"what an {text} you are") == ["ass"]


@pytest.mark.parametrize("text", ["b4d", "B.A.D", "b a d", "baaad", "BAD!", "b@d"])
def test_more_english_tricks_match(text: str) -> None:
    assert BANNED.find(text) == ["bad"]


@pytest.mark.parametrize(
    "text",
    [
        "class",
        "classic",
        "assistant",
        "assess",
        "bass",
        "pass",
        "glasses",
        "massive",
        "as",
        "as soon as possible",
        "embassy",
        "badge",
        "badminton",
        "abad",
        "Baghdad",
        "a b c",  # single letters that spell nothing listed
        "it was 2024, 3 cats",
        "cla.ss",
        "ba d",
    ],
)
def test_innocent_english_words_do_not_match(text: str) -> None:
    assert BANNED.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "أحمر",  # red: shares letters with both حمار and أحمق
        "الحمراء",
        "حمارنة",  # a family name that merely starts with حمار
        "تحقيرة",  # longer word containing حقيرة
        "التحقير",
        "الغبيراء",  # contains غبي
        "مرغبين",
        "حم ار",
    ],
)
def test_innocent_arabic_words_do_not_match(text: str) -> None:
    assert BANNED.find(f"قال {text} اليوم") == []


def test_a_short_arabic_word_does_not_match_longer_words_containing_it() -> None:
    matcher = WordMatcher(["نيك"])
    assert matcher.find("تكنيك ميكانيكي نيكل الكترونيك") == []
    assert matcher.find("والنيك") == ["نيك"]


def test_listed_words_are_folded_too() -> None:
    matcher = WordMatcher(["حِمَـار", "IDIOT"])
    assert matcher.find("الحمار idiot") == ["IDIOT", "حِمَـار"]


def test_phrases_match_consecutive_tokens_only() -> None:
    assert BANNED.find("just k1ll   YOURSELF.") == ["kill yourself"]
    assert BANNED.find("kill time, not yourself") == []


def test_empty_list_matches_nothing() -> None:
    assert WordMatcher([]).find("ass حمار") == []
    assert WordMatcher(["", "  ", "!!"]).find("ass !!") == []


ARABIC_MARKS = st.sampled_from(
    ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0640"]
)


@given(st.lists(st.lists(ARABIC_MARKS, max_size=3), min_size=4, max_size=4))
def test_any_tashkeel_and_tatweel_inside_the_word_still_matches(marks: list[list[str]]) -> None:
    word = "".join(letter + "".join(m) for letter, m in zip("حمار", marks, strict=True))
    assert BANNED.find(word) == ["حمار"]


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=3, max_size=3))
def test_any_stretching_still_matches(runs: list[int]) -> None:
    word = "".join(letter * n for letter, n in zip("bad", runs, strict=True))
    assert BANNED.find(word) == ["bad"]


def test_remembered_tokens_give_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each token's matches are remembered per matcher: the same text, a token met
    before in another text, and a full memo (cleared, then filled again) all answer
    as a fresh matcher does."""
    from wirestream.comments.moderation import matching

    monkeypatch.setattr(matching, "_MEMO_SIZE", 3)
    texts = ["you b.a.d ass", "bad", "a bad bad day", "حمار and ass", "nothing here",
             "b a d", "kill yourself, bad ass"]
    fresh = [WordMatcher(["ass", "bad", "حمار", "kill yourself"]).find(t) for t in texts]
    matcher = WordMatcher(["ass", "bad", "حمار", "kill yourself"])
    for _ in range(3):
        assert [matcher.find(t) for t in texts] == fresh
    assert len(matcher._memo) <= 3
    assert fresh[0] == ["ass", "bad"] and fresh[4] == [] and fresh[6] == [
        "ass", "bad", "kill yourself"]
