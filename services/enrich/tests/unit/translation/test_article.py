from collections.abc import Sequence

import pytest

from wirestream.common.testing import make_article
from wirestream.enrich.translation.article import (
    MACHINE_TRANSLATION,
    translate_article,
    translation_id,
)
from wirestream.enrich.translation.backend import TranslationError
from wirestream.enrich.translation.worker import Policy


class Upper:
    """A fake engine: upper-cases text between tags, or drops tags when told to."""

    engine = "fake"

    def __init__(self, drop_tags: bool = False) -> None:
        self.drop_tags = drop_tags
        self.seen: list[str] = []

    def unavailable(self) -> str | None:
        return None

    async def translate(self, fragments: Sequence[str], *, source: str,
                        target: str) -> list[str]:
        self.seen.extend(fragments)
        if self.drop_tags:
            return [f.replace("<b>", "").replace("</b>", "") for f in fragments]
        return [f.upper().replace("<P>", "<p>").replace("</P>", "</p>")
                .replace("<B>", "<b>").replace("</B>", "</b>") for f in fragments]

    async def aclose(self) -> None:
        pass


async def test_translation_is_its_own_article_with_provenance() -> None:
    source = make_article(headline="Rates & prices", summary="Short <summary>",
                          body_html="<p>Body <b>text</b></p>", extra={"agency_field": 1})
    engine = Upper()
    out = await translate_article(engine, source, source="en", target="ar")
    assert out.article_id == translation_id(source.article_id, "ar") != source.article_id
    assert out.uri == f"{source.uri}#translation-ar" and out.language == "ar"
    assert out.headline == "RATES & PRICES" and out.summary == "SHORT <SUMMARY>"
    assert out.body_html == "<p>BODY <b>TEXT</b></p>"
    assert engine.seen[0] == "Rates &amp; prices"  # text fields travel escaped as HTML
    assert out.extra["agency_field"] == 1
    assert out.extra["digitalSourceType"] == MACHINE_TRANSLATION
    assert out.extra["translation"]["machine"] is True
    assert out.version == source.version and out.agency == source.agency


async def test_a_translation_that_lost_tags_is_refused() -> None:
    source = make_article(body_html="<p>Body <b>text</b></p>")
    with pytest.raises(TranslationError, match="tags"):
        await translate_article(Upper(drop_tags=True), source, source="en", target="ar")


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = Policy(backoff_s=5, backoff_max_s=60)
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]
