"""Find taxonomy concepts in text, linear in the number of tokens.

Every label and alias is tokenized the way article text is and indexed by its
first token. Scanning an article is one pass: at each token, look up the
token's variants (clitics stripped, plural/possessive removed) in the index
and keep the longest phrase that matches whole tokens from there. No
per-concept scan, no substring search (Chinese text is split into characters
so its names still match as token sequences).

False positives are what make tagging useless, so: names are matched whole
token by whole token; a name written capitalised ("Trump", "Fed") must be
capitalised in the text, and a short acronym ("WHO", "US") must be upper case;
single-token Arabic names match through attached clitics but not through
suffix stems ("حلبة", an arena, is not "حلب", Aleppo).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from wirestream.common.events import Tag
from wirestream.common.textnorm import fold, tokenize_cased, word_variants
from wirestream.enrich.text.taxonomy import Concept
from wirestream.enrich.text.wordcache import WordCache

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_CJK_PIECES = re.compile(f"[{_CJK}]|[^{_CJK}]+")
_ARABIC = re.compile("[\u0600-\u06ff]")
ANY, CAPITALISED, UPPER = 0, 1, 2
_LEAD_TOKENS = 50  # a first mention in the first ~two sentences counts as prominent


def split_tokens(text: str) -> list[str]:
    """Case-preserving tokens, with Chinese runs split into single characters."""
    out: list[str] = []
    for token in tokenize_cased(text):
        out.extend(_CJK_PIECES.findall(token) if _HAS_CJK.search(token) else (token,))
    return out


def _token_info_of(surface: str) -> tuple[tuple[str, ...], int]:
    """(the variants to look up, the strongest case rule this token satisfies).

    The variants are a tuple, not a set: a handful each, and a tuple of strings is
    something the garbage collector stops tracking (see :mod:`.wordcache`)."""
    token = fold(surface)
    variants = word_variants(token)
    if _ARABIC.search(token):
        # Clitic-stripped forms end the token; light stems don't, so drop them.
        variants = {v for v in variants if token.endswith(v.removeprefix("ال"))}
    case = UPPER if surface.isupper() else CAPITALISED if surface[:1].isupper() else ANY
    return tuple(sorted(variants)), case


# Bounded so a long run's vocabulary cannot grow the process without end: a full cache of
# 200,000 tokens held ~100 MB (the soak's enrich RSS climbed past 400 MB); news vocabulary
# is Zipfian, so 50,000 keep the hit rate where it matters at a quarter of the memory.
_token_info = WordCache(_token_info_of, size=50_000)


def _case_rule(surface: str) -> int:
    if surface.isupper() and len(surface) <= 3:
        return UPPER
    return CAPITALISED if surface[:1].isupper() else ANY


@dataclass(frozen=True, slots=True)
class _Entry:
    keys: tuple[str, ...]
    cases: tuple[int, ...]
    concept: int
    langs: frozenset[str]


@dataclass(slots=True)
class Mention:
    """Where one concept was found: how often, how early, in the headline or not."""

    concept: Concept
    count: int = 0
    in_headline: bool = False
    first_position: int | None = None
    surfaces: set[str] = field(default_factory=set)


class TaxonomyMatcher:
    """An index over every label and alias of a list of concepts."""

    def __init__(self, concepts: Iterable[Concept], *, min_topic_hits: int = 2) -> None:
        self.concepts = list(concepts)
        self.min_topic_hits = min_topic_hits
        entries: dict[tuple[tuple[str, ...], tuple[int, ...], int], set[str]] = {}
        for index, concept in enumerate(self.concepts):
            for lang, name in concept.names():
                for keys, cases in _phrase_forms(name):
                    entries.setdefault((keys, cases, index), set()).add(lang)
        self._first: dict[str, list[_Entry]] = {}
        self.languages: set[str] = set()
        for (keys, cases, index), langs in entries.items():
            self.languages |= langs
            entry = _Entry(keys, cases, index, frozenset(langs))
            self._first.setdefault(keys[0], []).append(entry)

    def find(self, text: str, language: str | None = None, *, headline: str = "") -> list[Mention]:
        """Every concept named in ``headline`` or ``text``, in order of first appearance.

        With a ``language``, only names written in that language or in English
        count (German "Island" is Iceland, English "island" is not); an
        unknown or undetermined language lets every name count.
        """
        mentions: dict[int, Mention] = {}
        for in_headline, part in ((True, headline), (False, text)):
            for start, entry, surface in self._scan(split_tokens(part), language):
                m = mentions.setdefault(entry.concept, Mention(self.concepts[entry.concept]))
                m.count += 1
                m.surfaces.add(surface)
                if in_headline:
                    m.in_headline = True
                elif m.first_position is None:
                    m.first_position = start
        return [
            m
            for m in mentions.values()
            if m.concept.kind != "topic" or m.in_headline or m.count >= self.min_topic_hits
        ]

    def match(self, text: str, language: str | None = None, *, headline: str = "") -> list[Tag]:
        """The tags for ``text`` (and ``headline``), most confident first."""
        return self.to_tags(self.find(text, language, headline=headline))

    @staticmethod
    def to_tags(mentions: Iterable[Mention]) -> list[Tag]:
        """Tags (labels in every language the concept has) for mentions, most confident first."""
        tags = [
            Tag(
                kind=m.concept.kind,
                id=m.concept.id,
                labels=dict(m.concept.labels),
                confidence=_confidence(m),
            )
            for m in mentions
        ]
        return sorted(tags, key=lambda t: (-t.confidence, t.id))

    def _scan(self, surfaces: list[str], language: str | None) -> Iterable[tuple[int, _Entry, str]]:
        infos = [_token_info(s) for s in surfaces]
        accept = {language, "en"} if language in self.languages else None
        n, i = len(infos), 0
        while i < n:
            # Every concept named by the longest phrase starting here: two concepts
            # sharing a name ("floods" for a narrow and a broad topic) are both meant,
            # and picking one would depend on set order.
            best: dict[int, _Entry] = {}
            longest = 0
            for variant in infos[i][0]:
                for e in self._first.get(variant, ()):
                    size = len(e.keys)
                    if size < longest or i + size > n:
                        continue
                    if accept is not None and not (e.langs & accept):
                        continue
                    if all(
                        e.keys[j] in infos[i + j][0] and infos[i + j][1] >= e.cases[j]
                        for j in range(size)
                    ):
                        if size > longest:
                            best, longest = {}, size
                        best.setdefault(e.concept, e)
            if not best:
                i += 1
                continue
            surface = fold(" ".join(surfaces[i : i + longest]))
            for concept in sorted(best):
                yield i, best[concept], surface
            i += longest


def _phrase_forms(name: str) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """Index keys for one name: as written and, for Latin, without accents."""
    surfaces = split_tokens(name)
    if not surfaces:
        return []
    cases = tuple(_case_rule(s) for s in surfaces)
    keys = tuple(fold(s) for s in surfaces)
    if len(keys) == 1:
        key = keys[0]
        too_short = len(key) < (3 if _ARABIC.search(key) else 2)
        if too_short or (len(key) == 2 and cases[0] == ANY):
            return []  # "X", "شل", "is": would match everywhere
    plain = tuple(_strip_accents(k) for k in keys)
    return [(keys, cases)] + ([(plain, cases)] if plain != keys else [])


def _strip_accents(key: str) -> str:
    # word_variants adds the accent-free form of Latin words; index that form too.
    if _ARABIC.search(key):
        return key
    return "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))


def _confidence(m: Mention) -> float:
    lead = m.first_position is not None and m.first_position < _LEAD_TOKENS
    if m.concept.kind == "topic":
        score = 0.3 + 0.2 * m.in_headline + min(0.4, 0.08 * (m.count - 1))
    else:
        score = 0.5 + 0.25 * m.in_headline + 0.1 * lead + min(0.15, 0.05 * (m.count - 1))
    return round(min(score, 0.99), 3)
