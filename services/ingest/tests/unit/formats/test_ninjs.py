"""ninjs 1.x, 2.x and 3.x samples map to one canonical Article."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from wirestream.ingest.formats import article_id_for


def test_ninjs1_english_text_with_feature_image(parse):
    [article] = parse("ninjs1_en_text.json", "application/json")

    assert article.article_id == article_id_for("wna", article.uri)
    assert article.source_format == "ninjs"
    assert article.version == 1  # the string "1" of ninjs 1.x
    assert article.version_created == datetime(2024, 3, 15, 10, 15, tzinfo=UTC)
    assert article.language == "en"
    assert article.headline == "Parliament passes budget after all-night session"
    assert article.summary.startswith("Lawmakers approved")
    assert article.byline == "Jane Doe"
    assert article.located == "Amman, Jordan"
    assert article.urgency == 3
    assert [s.code for s in article.subjects] == ["04000000", "11000000"]
    assert article.places[0].name == "Jordan"
    assert "style=" not in article.body_html and "class=" not in article.body_html
    assert 'rel="noopener nofollow"' in article.body_html
    picture = article.pictures[0]
    assert picture.credit == "Sam Roe/WNA"
    assert picture.renditions[0].href.endswith("base.jpg")
    assert (picture.renditions[0].width, picture.renditions[0].height) == (2048, 1365)
    assert picture.renditions[0].mimetype == "image/jpeg"


def test_ninjs1_keeps_unmapped_fields_in_extra(parse):
    [article] = parse("ninjs1_en_text.json")

    assert article.extra["copyrightholder"] == "Wirestream News Agency"
    assert article.extra["slugline"] == "budget-vote"
    assert article.extra["person"] == [{"name": "Omar Haddad", "rel": "mentions"}]
    assert article.extra["associations"]["related"]["headline"] == "Budget debate opens"
    assert article.extra["ninjs_generation"] == 1


def test_ninjs1_arabic_update_with_text_body(parse):
    [article] = parse("ninjs1_ar_update.json")

    assert article.version == 2
    assert article.language == "ar"
    assert article.headline == "أمطار غزيرة تغلق طرقاً رئيسية في العاصمة"
    assert article.body_html.count("<p>") == 3
    assert article.first_created == datetime(2024, 3, 16, 4, 5, tzinfo=UTC)


def test_ninjs2_correction_with_roles(parse):
    [article] = parse("ninjs2_en_correction.json", "application/vnd.iptc.ninjs+json")

    assert article.version == 3
    assert article.correction_note.startswith("Correction: fixes the number")
    assert article.headline == "Dock workers strike at the country's largest port"
    assert article.subheadline == "Unions demand a 12% pay rise"
    assert article.extra["other_headlines"] == [{"role": "short", "value": "Port strike"}]
    assert "<strong>4,000</strong>" in article.body_html  # the HTML body wins over text
    assert article.info_sources == ("Wirestream News Agency", "Port Authority")
    assert article.language == "en-GB"
    assert article.pictures[0].headline == "Idle cranes at the port"
    assert article.pictures[0].description.startswith("Cranes stand idle")
    assert article.extra["ninjs_generation"] == 2


def test_ninjs2_arabic_keeps_direction_spans(parse):
    [article] = parse("ninjs2_ar_text.json")

    assert article.language == "ar"
    assert '<span dir="rtl" lang="ar">عشرة أيام</span>' in article.body_html
    assert article.subjects[0].code == "01000000"
    assert article.extra["genres"][0]["name"] == "خبر"


def test_ninjs3_embargoed_with_array_associations(parse):
    [article] = parse("ninjs3_en_embargoed.json")

    assert article.extra["ninjs_generation"] == 3
    assert article.embargoed_until == datetime(2099, 3, 20, 12, 30, tzinfo=UTC)
    assert article.urgency == 1
    assert [p.uri for p in article.pictures] == [
        "http://wna.example/pictures/20240320-jobcentre",
        "http://wna.example/graphics/20240320-chart",
    ]
    assert article.pictures[0].credit == "WNA"
    assert article.pictures[0].renditions[1].title == "thumbnail"
    assert article.extra["associations"]["video"]["type"] == "video"
    assert article.extra["renditions"][0]["name"] == "print"


def test_ninjs3_arabic_kill(parse):
    [article] = parse("ninjs3_ar_kill.json")

    assert article.pub_status == "canceled"
    assert article.version == 2
    assert article.article_id == article_id_for(
        "wna", "http://wna.example/ar/newsitems/20240318-exhibition"
    )


def test_update_keeps_the_article_id(parse):
    [first] = parse("ninjs2_ar_text.json")
    [kill] = parse("ninjs3_ar_kill.json")

    assert first.article_id == kill.article_id
    assert kill.version > first.version


def test_a_batch_array_gives_one_article_per_item(sample, parse):
    from wirestream.ingest.formats import parse_wire

    batch = [json.loads(sample("ninjs1_en_text.json")), json.loads(sample("ninjs2_ar_text.json"))]
    articles = parse_wire(json.dumps(batch).encode(), "application/json", agency="wna")

    assert [a.language for a in articles] == ["en", "ar"]


def test_version_absent_defaults_to_one_and_language_falls_back():
    from wirestream.ingest.formats import parse_wire

    body = json.dumps({"uri": "urn:x:1", "headline": "Hello"}).encode()
    [article] = parse_wire(body, None, agency="wna", default_language="ar")

    assert article.version == 1
    assert article.language == "ar"
    assert article.body_html == ""


def test_correction_from_ednote_alone():
    from wirestream.ingest.formats import parse_wire

    body = {"uri": "urn:x:2", "headline": "h", "ednote": "تصحيح: الاسم الصحيح هو أحمد"}
    [article] = parse_wire(json.dumps(body).encode(), None, agency="wna")

    assert article.correction_note == "تصحيح: الاسم الصحيح هو أحمد"


def test_signal_as_plain_string_marks_a_correction():
    from wirestream.ingest.formats import parse_wire

    body = {"uri": "urn:x:3", "headlines": [{"value": "h"}], "signal": "correction"}
    [article] = parse_wire(json.dumps(body).encode(), None, agency="wna")

    assert article.correction_note == "Correction"
