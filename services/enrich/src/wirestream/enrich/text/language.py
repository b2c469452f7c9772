"""Which language an article is in: the agency's word, checked by lingua.

Agencies mislabel items (an English brief sent on an Arabic feed), so the
declared language is trusted only when detection agrees with it or when the
text is too short to detect reliably.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lingua import IsoCode639_1, LanguageDetectorBuilder
from lingua import LanguageDetector as _Lingua

DEFAULT_LANGUAGES = ("ar", "en", "fr", "de", "es", "ru", "zh")
UNDETERMINED = "und"
MIN_LETTERS = 20
_SAMPLE_CHARS = 1500  # the lead settles it; detecting 10 kB costs ~1 ms more per article

# Scripts that only a few languages write in. When just one configured language uses
# a script and a text is written in it, the script settles the language without
# lingua (~0.6 ms for 1,500 characters): Arabic among the defaults, but not once
# Persian or Urdu are configured too. Other languages are taken to write in Latin.
_SCRIPTS = {
    "arabic": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
    "cyrillic": "\u0400-\u052f",
    "greek": "\u0370-\u03ff\u1f00-\u1fff",
    "hebrew": "\u0590-\u05ff",
    "han": "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff",
    "hangul": "\u1100-\u11ff\uac00-\ud7af",
}
_SCRIPT_OF = {
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ku", "sd", "ug"), "arabic"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "mn", "ky", "tg"), "cyrillic"),
    "el": "greek", **dict.fromkeys(("he", "yi"), "hebrew"),
    **dict.fromkeys(("zh", "ja"), "han"), "ko": "hangul",
}
_OTHER_SHARE = 20  # at most one letter in 20 from other scripts (names, brands)


def normalize_code(code: str | None) -> str | None:
    """``"en-GB"``, ``"AR"``, ``"zh_Hans"`` → ``"en"``, ``"ar"``, ``"zh"``; blank → None."""
    if not code or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-")[0].lower()


class LanguageDetector:
    """lingua restricted to the configured ISO 639-1 codes, built on first use."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> None:
        codes = [normalize_code(c) for c in languages]
        self.languages = tuple(c for c in codes if c)
        unknown = [c for c in self.languages if not hasattr(IsoCode639_1, c.upper())]
        if unknown or len(self.languages) < 2:
            raise ValueError(f"need two or more ISO 639-1 codes lingua knows, got {languages!r}")
        self._lingua: _Lingua | None = None
        writers: dict[str, list[str]] = {}
        for code in self.languages:
            writers.setdefault(_SCRIPT_OF.get(code, "latin"), []).append(code)
        # (language, letters of its script, letters of any other) for each script
        # exactly one configured language writes.
        self._by_script = [
            (codes[0], re.compile(f"[{_SCRIPTS[script]}]"),
             re.compile(f"[^\\W\\d_{_SCRIPTS[script]}]"))
            for script, codes in writers.items() if script in _SCRIPTS and len(codes) == 1]

    def build(self, *, preload: bool = False) -> None:
        """Build the lingua detector now (else the first :meth:`detect` does).

        lingua loads a language's models the first time it considers that
        language (tens of ms). ``preload=True`` loads them all up front: about
        2 s and 250 MB for the seven default languages.
        """
        if self._lingua is None:
            isos = [getattr(IsoCode639_1, c.upper()) for c in self.languages]
            builder = LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
            if preload:
                builder = builder.with_preloaded_language_models()
            self._lingua = builder.build()

    def detect_text(self, text: str) -> str | None:
        """The configured language ``text`` is most likely in, or None if lingua can't tell."""
        sample = text[:_SAMPLE_CHARS]
        for code, own, other in self._by_script:
            letters = len(own.findall(sample))
            if letters >= MIN_LETTERS and len(other.findall(sample)) * _OTHER_SHARE <= letters:
                return code
        self.build()
        assert self._lingua is not None
        found = self._lingua.detect_language_of(sample)
        return found.iso_code_639_1.name.lower() if found is not None else None

    def detect(self, headline: str, body_text: str, declared: str | None = None) -> str:
        """The article's language as an ISO 639-1 code (``"und"`` if nothing to go on).

        The declared language wins when detection agrees, when the text has
        fewer than ``MIN_LETTERS`` letters, when nothing was detected, or when
        it is a language the detector was not configured for (it cannot
        contradict what it cannot recognise). Otherwise the detected one wins.
        """
        declared = normalize_code(declared)
        text = f"{headline}\n{body_text}".strip()
        if declared and sum(ch.isalpha() for ch in text[:200]) < MIN_LETTERS:
            return declared
        if declared and declared not in self.languages:
            return declared
        detected = self.detect_text(text) if text else None
        return detected or declared or UNDETERMINED
