"""Pure text normalisation shared by services (enrich tagging, comment moderation).

No I/O, no state: every function maps strings to strings. The aim is that two
spellings a reader would call "the same word" fold to a shared form:
Arabic with or without tashkeel, tatweel, hamza or attached clitics; Latin
with any case, plural or possessive; text salted with invisible characters.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "collapse_repeats",
    "fold",
    "normalize_arabic",
    "tokenize",
    "tokenize_cased",
    "variants_of_text",
    "word_variants",
]

# --- character tables -------------------------------------------------------

_ARABIC_MARKS = (
    [chr(c) for c in range(0x064B, 0x0660)]  # tanween, harakat, shadda, sukun, maddah, hamza marks
    + ["\u0670"]  # superscript (dagger) alef
    + [chr(c) for c in range(0x0610, 0x061B)]  # honorific signs above/below
    + [chr(c) for c in range(0x06D6, 0x06DD)]  # Quranic annotation marks
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + ["\u0640"]  # tatweel
)
_ARABIC_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي",  # alef maqsura and Farsi yeh
    "ة": "ه",
    "ؤ": "و", "ئ": "ي",
    "ک": "ك",  # Farsi keheh
}  # fmt: skip
_ARABIC_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
_ARABIC_TABLE = str.maketrans(_ARABIC_LETTERS | _ARABIC_DIGITS | dict.fromkeys(_ARABIC_MARKS, None))

# Zero-width and bidi controls: invisible, and used to dodge word filters.
_CONTROLS = (
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u2060", "\ufeff", "\u061c", "\u00ad"]  # word joiner, BOM, Arabic letter mark, soft hyphen
)
_CYRILLIC = {"ё": "е", "Ё": "Е"}  # Russian print mostly omits the diaeresis
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'"}
_FOLD_TABLE = str.maketrans(
    _ARABIC_LETTERS
    | _ARABIC_DIGITS
    | _APOSTROPHES
    | _CYRILLIC
    | dict.fromkeys(_ARABIC_MARKS, None)
    | dict.fromkeys(_CONTROLS, None)
)

# A word: letters and digits, optionally joined by inner apostrophes ("putin's").
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ARABIC_CHAR = re.compile(r"[\u0600-\u06FF]")


def normalize_arabic(text: str) -> str:
    """Remove Arabic tashkeel and tatweel and unify letter variants.

    Alef forms (أ إ آ ٱ) become ا, alef maqsura ى becomes ي, taa marbuta ة
    becomes ه, hamza on waw/yaa (ؤ ئ) becomes و/ي, and Arabic-Indic (and
    Persian) digits become ASCII digits. Non-Arabic text passes unchanged.
    """
    return text.translate(_ARABIC_TABLE)


def _fold_keep_case(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    return " ".join(text.split())


def _casefold(text: str) -> str:
    # casefold turns "İ" into "i" + combining dot, which would split "İstanbul".
    return text.casefold().replace("i\u0307", "i")


def fold(text: str) -> str:
    """Fold text to the form used for comparison and matching.

    NFKC, casefold, :func:`normalize_arabic`, remove zero-width and bidi
    control characters, map typographic apostrophes to ``'`` and Russian ``ё``
    to ``е``, and collapse runs of whitespace to one space (stripped at both
    ends).
    """
    return _casefold(_fold_keep_case(text))


def collapse_repeats(token: str, max_run: int = 2) -> str:
    """Shorten every run of one repeated character to at most ``max_run``.

    ``collapse_repeats("heeeello") == "heello"``; ``"جمييييل"`` gives ``"جمييل"``.
    """
    if max_run < 1:
        raise ValueError("max_run must be at least 1")
    return re.sub(rf"(.)\1{{{max_run},}}", lambda m: m.group(1) * max_run, token)


def tokenize(text: str) -> list[str]:
    """Fold ``text`` and split it into word tokens (letters and digits), in order.

    Apostrophes inside a word stay in it (``"putin's"``); every other
    punctuation mark, hyphen or space separates words. Scripts without spaces
    (Chinese) come back as one token per run.
    """
    # Split before casefolding so tokens line up with tokenize_cased().
    return [_casefold(t) for t in tokenize_cased(text)]


def tokenize_cased(text: str) -> list[str]:
    """Like :func:`tokenize` but without casefolding, for case-aware matching.

    Token ``i`` casefolds to ``tokenize(text)[i]``, so callers can check how a
    matched word was capitalised ("WHO" the agency, "who" the pronoun).
    """
    return _WORD.findall(_fold_keep_case(text))


# --- variants ---------------------------------------------------------------

_MIN_ARABIC_STEM = 3
# Proclitic chains: conjunction (و ف), preposition (ب ل ك), article (ال);
# ل + ال is written لل. Longest first so the deepest strip is tried too.
_PROCLITICS = sorted(
    {
        conj + prep + art
        for conj in ("", "و", "ف")
        for prep in ("", "ب", "ل", "ك")
        for art in ("", "ال")
        if conj + prep + art
    }
    - {"لال", "ولال", "فلال"}
    | {"لل", "ولل", "فلل"},
    key=len,
    reverse=True,
)
_ARABIC_SUFFIXES = ("يه", "ها", "هم", "هن", "كم", "نا", "ون", "ين", "ات", "ان", "ه", "ي")
_ELISIONS = ("qu'", "l'", "d'", "j'", "n'", "s'", "c'", "m'", "t'")


def _arabic_variants(token: str) -> set[str]:
    forms = {token}
    for prefix in _PROCLITICS:
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_ARABIC_STEM:
            rest = token[len(prefix) :]
            forms.add(rest)
            if prefix.endswith(("ال", "لل")):
                forms.add("ال" + rest)  # "للصين" is "ل" + "الصين"
    stems = set()
    for form in forms:
        for suffix in _ARABIC_SUFFIXES:
            core = len(form) - len(suffix) - (2 if form.startswith("ال") else 0)
            if form.endswith(suffix) and core >= _MIN_ARABIC_STEM:
                stems.add(form[: -len(suffix)])
    return forms | stems


def _strip_accents(token: str) -> str:
    decomposed = unicodedata.normalize("NFD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin_variants(token: str) -> set[str]:
    forms = {token}
    for elision in _ELISIONS:  # French "l'état", "d'israël"
        if token.startswith(elision) and len(token) > len(elision) + 1:
            token = token[len(elision) :]
            forms.add(token)
            break
    if token.endswith("'s"):
        token = token[:-2]
    elif token.endswith(("s'", "'")):
        token = token.rstrip("'")
    forms.add(token)
    if len(token) > 4 and token.endswith("ies"):
        forms.add(token[:-3] + "y")
    elif len(token) > 4 and token.endswith(("sses", "xes", "zes", "ches", "shes")):
        forms.add(token[:-2])
    elif len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        forms.add(token[:-1])
    return forms | {_strip_accents(f) for f in forms}


def word_variants(token: str) -> set[str]:
    """The forms of one already-folded token that should match the same word.

    Always contains ``token``. Arabic tokens add forms with attached clitics
    stripped (و ف ب ل ك, the article ال and chains such as وال بال لل فال
    كال) and a light stem without one common suffix; no form is shorter than
    three letters, so "بيت" never becomes "يت". Latin tokens add forms without
    a possessive or English plural ("putin's" → "putin", "companies" →
    "company"), without a French elision ("l'état" → "état") and without
    accents. Other scripts are returned as they are.
    """
    if not token:
        return set()
    if _ARABIC_CHAR.search(token):
        return _arabic_variants(token)
    if token.isascii() or "LATIN" in unicodedata.name(token[0], ""):
        return _latin_variants(token)
    return {token}


def variants_of_text(text: str) -> list[set[str]]:
    """:func:`tokenize` ``text`` and give the :func:`word_variants` of each token."""
    return [word_variants(token) for token in tokenize(text)]
