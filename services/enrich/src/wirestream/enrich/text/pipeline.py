"""Language, taxonomy tags and keywords for one article: the pure part of enrich.

No database, no bus: :class:`TextEnricher` takes an :class:`Article` and
returns what the service step publishes. Story assignment is separate
(:mod:`wirestream.enrich.text.stories`) because it keeps state.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from wirestream.common.events import Article, Tag
from wirestream.enrich.text.keywords import extract_keywords
from wirestream.enrich.text.language import DEFAULT_LANGUAGES, LanguageDetector
from wirestream.enrich.text.matcher import TaxonomyMatcher
from wirestream.enrich.text.starter import load_starter_taxonomy
from wirestream.enrich.text.taxonomy import Concept

_INVISIBLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|blockquote|tr|td|section)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(body_html: str) -> str:
    """Plain text of an article body; block elements become line breaks."""
    text = _TAG.sub(" ", _BLOCK.sub("\n", _INVISIBLE.sub(" ", body_html)))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class EnrichedText:
    """What enrich learned from an article's text."""

    language: str
    tags: tuple[Tag, ...]
    keywords: tuple[Tag, ...]
    text: str = ""  # subheadline, summary and body as plain text (story clustering uses it)


class TextEnricher:
    """Detects the language, matches the taxonomy and extracts keywords."""

    def __init__(
        self, *, detector: LanguageDetector, matcher: TaxonomyMatcher, keyword_count: int = 8
    ) -> None:
        self.detector = detector
        self.matcher = matcher
        self.keyword_count = keyword_count

    @classmethod
    def from_concepts(
        cls, concepts: Sequence[Concept], languages: Sequence[str] = DEFAULT_LANGUAGES,
        keyword_count: int = 8,
    ) -> TextEnricher:
        """An enricher over ``concepts`` detecting ``languages`` (lingua is built here)."""
        detector = LanguageDetector(languages)
        detector.build()
        return cls(detector=detector, matcher=TaxonomyMatcher(concepts),
                   keyword_count=keyword_count)

    def with_concepts(self, concepts: Sequence[Concept]) -> TextEnricher:
        """The same enricher over a new taxonomy (the language detector is kept)."""
        return TextEnricher(detector=self.detector, matcher=TaxonomyMatcher(concepts),
                            keyword_count=self.keyword_count)

    def enrich(self, article: Article) -> EnrichedText:
        """Language, tags (most confident first) and keywords for ``article``."""
        parts = [article.subheadline, article.summary, html_to_text(article.body_html)]
        body = "\n".join(p for p in parts if p)
        language = self.detector.detect(article.headline, body, article.language)
        mentions = self.matcher.find(body, language, headline=article.headline)
        tags = self.matcher.to_tags(mentions)
        covered: set[str] = set()
        for m in mentions:
            covered |= m.surfaces
            if m.concept.kind != "topic":
                covered |= set(m.concept.labels.values())
        keywords = extract_keywords(
            f"{article.headline}.\n{body}", language, self.keyword_count, exclude=covered
        )
        return EnrichedText(language, tuple(tags), tuple(keywords), body)


@cache
def default_enricher() -> TextEnricher:
    """The enricher over the starter taxonomy, built on first call and then reused."""
    return TextEnricher.from_concepts(load_starter_taxonomy())


def enrich_text(
    article: Article, enricher: TextEnricher | None = None
) -> tuple[str, list[Tag], list[Tag]]:
    """``(language, tags, keywords)`` for ``article``; handy for benchmarks and scripts."""
    result = (enricher or default_enricher()).enrich(article)
    return result.language, list(result.tags), list(result.keywords)
