"""NITF samples."""

from __future__ import annotations

from datetime import UTC, datetime


def test_english_nitf_with_external_dtd_declaration(parse):
    # A DOCTYPE that only names the NITF DTD is fine: it is never loaded.
    [article] = parse("nitf_en.xml", "application/nitf+xml")

    assert article.source_format == "nitf"
    assert article.uri == "WNA-20240324-wildfire"
    assert article.version == 1
    assert article.version_created == datetime(2024, 3, 24, 6, 15, tzinfo=UTC)
    assert article.urgency == 2
    assert article.language == "en"
    assert article.headline == "Wildfire forces thousands to evacuate near Athens"
    assert article.subheadline == "Strong winds hamper firefighting efforts"
    assert article.byline == "By Nikos Pappas, WNA correspondent"
    assert article.located == "Athens"
    assert article.summary == "Thousands of residents were ordered to leave their homes."
    assert "<h2>Winds</h2>" in article.body_html
    assert "media" not in article.body_html
    picture = article.pictures[0]
    assert picture.credit == "WNA/Eleni Kostas"
    assert (picture.renditions[0].width, picture.renditions[0].height) == (1920, 1080)
    assert [s.code for s in article.subjects] == ["06000000", "03000000"]
    assert article.places[0].name == "Greece"
    assert article.extra["keywords"] == ["wildfire", "evacuation"]


def test_arabic_nitf_correction_update(parse):
    [article] = parse("nitf_ar_correction.xml")

    assert article.version == 2
    assert article.language == "ar"
    assert article.correction_note == "تصحيح: يصحح اسم الملعب في الفقرة الأولى."
    assert article.located == "الرياض"


def test_canceled_nitf(parse):
    [article] = parse("nitf_en_canceled.xml", default_language="en")

    assert article.pub_status == "canceled"
    assert article.version == 4
    assert article.ednote == "KILL: withdrawn, wrong location."
    assert article.language == "en"  # the document names none: the feed's default


def test_embargoed_nitf_is_usable_after_release(parse):
    [article] = parse("nitf_ar_embargoed.xml")

    assert article.pub_status == "usable"
    assert article.embargoed_until == datetime(2099, 3, 26, 12, tzinfo=UTC)


def test_withheld_nitf(sample):
    from wirestream.ingest.formats import parse_wire

    body = sample("nitf_en.xml").replace(
        b'management-status="usable"', b'management-status="withheld"'
    )
    [article] = parse_wire(body, None, agency="wna")

    assert article.pub_status == "withheld"
