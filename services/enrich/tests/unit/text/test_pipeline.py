import pytest

from wirestream.common.events import Article
from wirestream.enrich.text.pipeline import TextEnricher, enrich_text, html_to_text
from wirestream.enrich.text.starter import load_starter_taxonomy


@pytest.fixture(scope="module")
def enricher() -> TextEnricher:
    return TextEnricher.from_concepts(load_starter_taxonomy())


def article(**fields: object) -> Article:
    return Article(article_id="a1", agency="rt", uri="urn:test:1", **fields)  # type: ignore[arg-type]


def test_html_to_text() -> None:
    html = "<p>Gaza &amp; Rafah</p><script>var x = 'Putin';</script><p>second<br>line</p>"
    assert html_to_text(html) == "Gaza & Rafah\nsecond\nline"


def test_arabic_article_mislabelled_as_english(enricher: TextEnricher) -> None:
    item = article(
        language="en",
        headline="بوتين وشي جين بينغ يبحثان هاتفياً التعاون في مجال الطاقة",
        body_html=(
            "<p>أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جين بينغ، "
            "وبحث الجانبان إمدادات الطاقة وخط أنابيب الغاز قوة سيبيريا 2.</p>"
            "<p>وقال الكرملين إن لبوتين رؤية مشتركة مع بكين بشأن الأزمة في أوكرانيا.</p>"
        ),
    )
    language, tags, keywords = enrich_text(item, enricher)
    assert language == "ar"
    tag_ids = [t.id for t in tags]
    assert tag_ids[0] in {"person:vladimir-putin", "person:xi-jinping"}
    assert {"place:UA", "org:kremlin", "place:beijing"} <= set(tag_ids)
    assert keywords and all(k.kind == "keyword" for k in keywords)
    assert not any("بوتين" in k.labels["ar"] or "الكرملين" in k.labels["ar"] for k in keywords)


def test_english_article(enricher: TextEnricher) -> None:
    item = article(
        language="en",
        headline="Ceasefire talks resume in Doha",
        summary="Qatar and Egypt are mediating between Israel and Hamas.",
        body_html="<p>Negotiators returned to Doha on Monday as airstrikes continued in Gaza.</p>",
    )
    language, tags, keywords = enrich_text(item, enricher)
    assert language == "en"
    assert {"place:doha", "place:QA", "place:EG", "place:IL", "org:hamas", "place:gaza",
            "medtop:16000000"} <= {t.id for t in tags}  # fmt: skip
    assert not {k.id for k in keywords} & {"kw:doha", "kw:gaza", "kw:hamas"}


def test_unrelated_article_has_no_taxonomy_tags(enricher: TextEnricher) -> None:
    item = article(
        headline="A slow-cooked stew for cold evenings",
        body_html="<p>Brown the onions, add the beans and simmer for two hours.</p>",
    )
    language, tags, _ = enrich_text(item, enricher)
    assert language == "en"
    assert tags == []
