"""An article's machine translation, as an article of its own with its provenance."""

from __future__ import annotations

import html

from wirestream.common.events import Article, derived_id

from .backend import Backend, TranslationError
from .htmltext import tag_outline

# IPTC Digital Source Type: made by a model trained on sampled content.
MACHINE_TRANSLATION = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
_TEXT_FIELDS = ("headline", "subheadline", "summary")


def translation_id(article_id: str, language: str) -> str:
    """The stable article id of ``article_id``'s translation into ``language``."""
    return derived_id(article_id, f"translation:{language}")


def translation_uri(uri: str, language: str) -> str:
    return f"{uri}#translation-{language}"


async def translate_article(backend: Backend, article: Article, *, source: str,
                            target: str) -> Article:
    """``article`` translated by ``backend``: headline, subheadline, summary and body.

    Plain-text fields travel escaped as HTML with the body, so one request
    carries the whole article; a body whose tags did not survive is refused.
    """
    names = [n for n in _TEXT_FIELDS if getattr(article, n)]
    fragments = [html.escape(getattr(article, n), quote=False) for n in names]
    if article.body_html.strip():
        names.append("body_html")
        fragments.append(article.body_html)
    out = await backend.translate(fragments, source=source, target=target)
    if len(out) != len(fragments):
        raise TranslationError(f"{backend.engine}: {len(out)} answers for {len(fragments)}")
    values = {n: (t if n == "body_html" else " ".join(html.unescape(t).split()))
              for n, t in zip(names, out, strict=True)}
    if "body_html" in values and tag_outline(values["body_html"]) != tag_outline(
            article.body_html):
        raise TranslationError(f"{backend.engine}: the translation changed the body's tags")
    if not values.get("headline"):
        raise TranslationError(f"{backend.engine}: empty headline")
    extra = {**article.extra, "digitalSourceType": MACHINE_TRANSLATION,
             "translation": {"engine": backend.engine, "source_article_id": article.article_id,
                             "source_language": source, "machine": True}}
    return article.model_copy(update={
        "article_id": translation_id(article.article_id, target),
        "uri": translation_uri(article.uri, target), "language": target, "extra": extra,
        **values,
    })
