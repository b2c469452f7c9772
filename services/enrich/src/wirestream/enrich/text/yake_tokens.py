"""segtok's ``split_multi`` and ``split_contractions(web_tokenizer(...))``, as yake uses them.

The same control flow over segtok's own compiled patterns, with shortcuts
that cannot change a result, because segtok spent most of its time in a few
regex calls that scan a whole sentence for something that can only occur at
its end or not at all:

* the abbreviation test looks at the last 32 characters (its longest match
  and look-behind take 21) of a span that ends in a letter, and at all of a
  short one or one that starts with a digit (``^\\d+$``);
* "ends like an abbreviation before a lower-case word" is only asked when
  the next span does start with a lower-case word;
* the hyphenated-line-break repair only runs on text with a line break, the
  URL/e-mail split only on text with ``://`` or ``@``;
* a run of letters and digits, or a run without any character a word pattern
  can start with, is one token without the word pattern; contractions are
  only looked for in sentences with an apostrophe.

``tests/unit/text/test_yake_lite.py`` compares the tokens with segtok's.
"""

from __future__ import annotations

from html import unescape
from unicodedata import category

import regex
from segtok import segmenter as sg
from segtok import tokenizer as tk

_ALNUM = r"\p{Ll}\p{Lm}\p{Lt}\p{Lu}\p{Nd}\p{Nl}"
_ALL_ALNUM = regex.compile(rf"[{_ALNUM}]+")
# Every alternative of segtok's word pattern starts with one of these.
_NO_WORD_START = regex.compile(rf"[^{_ALNUM}\u00B4\u02B9\u02BC\u2019\u2032\)\]]+")
_TAIL = 32
_INITIALS = frozenset({"Lu", "Lt", "Lm"})
_APOSTROPHES = frozenset(tk.APOSTROPHES)
_TERMINALS = sg.SENTENCE_TERMINALS
_NOT_REGEX_SPACE = "\x1c\x1d\x1e\x1f"


def _abbreviation(span: str) -> bool:
    """segtok's ABBREVIATIONS.search(span), without scanning the whole span."""
    if len(span) <= _TAIL or span[0].isdigit():  # "^\S$" and "^\d+$" need all of it
        return sg.ABBREVIATIONS.search(span) is not None
    # Otherwise a match ends in a letter: an abbreviation (ASCII) or an initial (Lu, Lt, Lm),
    # before an optional final newline, and starts within 17 characters of the end.
    last = span[-2] if span[-1] == "\n" else span[-1]
    if not (last.isascii() and last.isalpha()) and category(last) not in _INITIALS:
        return False
    return sg.ABBREVIATIONS.search(span[-_TAIL:]) is not None


def _joined_spans(spans: list[str]) -> list[str]:
    """segtok.segmenter._abbreviation_joiner."""
    out: list[str] = []
    segment: int | None = None
    total = len(spans)
    for pos in range(total):
        if pos % 2:
            prev_s, marker = spans[pos - 1], spans[pos]
            next_s = spans[pos + 1] if pos + 1 < total else None
            if prev_s[-1:].isspace() or (marker[0] == "." and _abbreviation(prev_s)):
                continue
            if (
                marker[0] == "."
                and next_s
                and (
                    sg.LONE_WORD.match(next_s)
                    or (sg.MONTH.match(next_s) and sg.ENDS_IN_DATE_DIGITS.search(prev_s))
                    or (sg.UPPER_WORD_START.match(next_s) and sg.MIDDLE_INITIAL_END.search(prev_s))
                )
            ):
                continue
            out.append("".join(spans[segment : pos + 1]))
            segment = None
        elif segment is None:
            segment = pos
    if segment is not None:
        out.append("".join(spans[segment:total]))
    return out


def _join(last: str, current: str, brackets: str) -> bool:
    short = len(current) < sg.SHORT_SENTENCE_LENGTH or len(last) < sg.SHORT_SENTENCE_LENGTH
    return (
        short
        and sg._is_open(last, brackets)
        and bool(
            sg._is_not_opened(current, brackets)
            or last.endswith(" et al. ")
            or (sg.UPPER_CASE_END.search(last) and sg.UPPER_CASE_START.match(current))
        )
    )


def split_multi(text: str) -> list[str]:
    """segtok.segmenter.split_multi (defaults)."""
    out: list[str] = []
    last: str | None = None
    for current in _joined_spans(sg.MAY_CROSS_ONE_LINE.split(text)):
        if last is None:
            last = current
        elif (
            (sg.LOWER_WORD.match(current) and sg.BEFORE_LOWER.match(last))
            or _join(last, current, "()")
            or _join(last, current, "[]")
            or sg.CONTINUATIONS.match(current)
        ):
            last = f"{last}{current}"
        else:
            out.append(last.strip())
            last = current
    if last is not None:
        out.append(last.strip())
    return out


def _spans(sentence: str) -> list[str]:
    # segtok splits on Unicode \s, which is str.split's whitespace but for \x1c-\x1f
    if any(c in sentence for c in _NOT_REGEX_SPACE):
        return [span for span in tk.space_tokenizer.split(sentence) if span]
    return sentence.split()


def _word_tokens(sentence: str) -> list[str]:
    """segtok.tokenizer.word_tokenizer."""
    if "\n" in sentence or "\r" in sentence or "\u2028" in sentence:
        sentence = tk.HYPHENATED_LINEBREAK.sub(r"\1\2", sentence)
    tokens: list[str] = []
    for span in _spans(sentence):
        if (
            (span.isascii() and span.isalpha())
            or _ALL_ALNUM.fullmatch(span)
            or _NO_WORD_START.fullmatch(span)
        ):
            tokens.append(span)
        else:
            tokens.extend(t for t in tk.word_tokenizer.split(span) if t)
    # splice the sentence terminal off the last word/token (one of the last three)
    for idx, word in enumerate(reversed(tokens[-3:]), 1):
        if (tk.word_tokenizer.match(word) and not tk.APO_MATCHER.match(word)) or any(
            t in word for t in _TERMINALS
        ):
            last = len(word) - 1
            if last == 0 or word == "...":
                pass
            elif any(word.rfind(t) == last for t in _TERMINALS):
                tokens[-idx] = word[:-1]
                tokens.insert(len(tokens) - idx + 1, word[-1])
            elif any(word.find(t) == 0 for t in _TERMINALS):
                tokens[-idx] = word[0]
                tokens.insert(len(tokens) - idx + 1, word[1:])
            break
    # dangling commas, semicolons and colons become tokens of their own
    out: list[str] = []
    for word in tokens:
        if len(word) > 1 and word[-1] in ",;:":
            kept = word.rstrip(",;:") or word[0]
            out.append(kept)
            out.extend(word[len(kept) :])
        else:
            out.append(word)
    return out


def web_tokens(sentence: str) -> list[str]:
    """segtok.tokenizer.split_contractions(segtok.tokenizer.web_tokenizer(sentence))."""
    if "://" in sentence or "@" in sentence:
        spans = tk.web_tokenizer.split(sentence)
    else:
        spans = [sentence]
    tokens = [
        token
        for i, span in enumerate(spans)
        for token in ((span,) if i % 2 else _word_tokens(unescape(span)))
    ]
    if _APOSTROPHES.isdisjoint(sentence):  # every contraction has an apostrophe
        return tokens
    return tk.split_contractions(tokens)  # type: ignore[no-any-return]
