"""NewsML-G2 newsItem and newsMessage samples."""

from __future__ import annotations

from datetime import UTC, datetime


def test_english_news_item(parse):
    [article] = parse("g2_newsitem_en.xml", "application/vnd.iptc.g2.newsitem+xml")

    assert article.source_format == "newsml-g2"
    assert article.uri == "urn:newsml:wna.example:20240321:en-central-bank"
    assert article.version == 1
    assert article.version_created == datetime(2024, 3, 21, 12, 5, tzinfo=UTC)
    assert article.headline == "Central bank holds rates, signals cut in June"
    assert article.subheadline == "Inflation eases to 2.4%"
    assert article.summary.startswith("The bank kept its main rate")
    assert article.byline == "By Karin Meyer"
    assert article.located == "Frankfurt"
    assert article.urgency == 2
    assert article.language == "en"
    assert [(s.scheme, s.code) for s in article.subjects] == [
        ("medtop", "20000350"),
        ("medtop", "20000379"),
    ]
    assert article.places[0].name == "Germany"
    assert article.info_sources == ("Wirestream News Agency",)
    assert article.pictures[0].headline == "The central bank headquarters"
    assert article.extra["slugline"] == "ECB-Rates"
    assert article.extra["keywords"] == ["interest rates", "inflation"]


def test_xhtml_body_is_sanitised_and_headline_not_repeated(parse):
    [article] = parse("g2_newsitem_en.xml")

    assert article.body_html.startswith("<p>FRANKFURT (WNA)")
    assert "track()" not in article.body_html  # <script> in <head>
    assert "Central bank holds rates</" not in article.body_html  # <title>
    assert "onclick" not in article.body_html
    assert "<blockquote>" in article.body_html
    assert "xmlns" not in article.body_html


def test_arabic_correction(parse):
    [article] = parse("g2_newsitem_ar_correction.xml")

    assert article.version == 2
    assert article.language == "ar"
    assert article.correction_note.startswith("تصحيح")
    assert article.extra["signals"] == ["update", "correction"]
    assert article.first_created == datetime(2024, 3, 22, 6, 10, tzinfo=UTC)


def test_canceled_item_is_a_kill(parse):
    [article] = parse("g2_newsitem_en_canceled.xml")

    assert article.pub_status == "canceled"
    assert article.version == 3
    assert article.body_html == "<p>This story has been withdrawn.</p>"


def test_news_message_items_and_linked_picture(parse):
    articles = parse("g2_newsmessage.xml", "application/vnd.iptc.g2.newsmessage+xml")

    assert [a.language for a in articles] == ["en", "ar"]  # the picture item is no article
    english, arabic = articles
    assert english.body_html.count("<p>") == 2
    picture = english.pictures[0]
    assert picture.credit == "WNA/Dana Kim"
    assert [r.title for r in picture.renditions] == ["highres", "thumbnail"]
    assert arabic.pictures == english.pictures
    # NITF carried in inlineXML
    assert arabic.byline == "بقلم أحمد سالم"
    assert arabic.body_html.startswith("<p>يشارك أربعون ألف عدّاء")


def test_withheld_and_embargoed_g2(parse, sample):
    from wirestream.ingest.formats import parse_wire

    body = sample("g2_newsitem_en.xml").replace(
        b'<pubStatus qcode="stat:usable"/>',
        b'<pubStatus qcode="stat:withheld"/><embargoed>2099-01-01T00:00:00Z</embargoed>',
    )
    [article] = parse_wire(body, "application/xml", agency="wna")

    assert article.pub_status == "withheld"
    assert article.embargoed_until == datetime(2099, 1, 1, tzinfo=UTC)
