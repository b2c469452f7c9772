"""RSS 2.0 and Atom samples: one Article per entry, version 1."""

from __future__ import annotations

from datetime import UTC, datetime


def test_arabic_rss(parse):
    gold, rail = parse("rss_ar.xml", "application/rss+xml")

    assert gold.source_format == "rss"
    assert gold.uri == "wna-ar-20240327-gold"  # guid wins over link
    assert rail.uri == "https://wna.example/ar/news/new-rail-line"  # no guid: the link
    assert gold.version == rail.version == 1
    assert gold.language == rail.language == "ar"  # from the channel
    assert gold.version_created == datetime(2024, 3, 27, 6, 30, tzinfo=UTC)  # RFC 822
    assert gold.byline == "نور الهدى"
    assert gold.summary == "ارتفعت أسعار الذهب إلى مستوى قياسي الأربعاء."
    assert "<script>" not in gold.body_html and "alert" not in gold.body_html
    assert gold.body_html.startswith("<p>ارتفعت أسعار الذهب")
    assert gold.pictures[0].credit == "WNA"
    assert gold.pictures[0].renditions[0].width == 1200
    assert rail.body_html == "<p>افتتح وزير النقل خطاً جديداً للقطار السريع بين المدينتين.</p>"
    assert rail.pictures[0].renditions[0].href == "https://media.wna.example/train.jpg"


def test_english_rss(parse):
    [article] = parse("rss_en.xml", "text/xml; charset=utf-8")

    assert article.byline == "Maria Lopez"
    assert article.language == "en-us"
    assert article.subjects[0].name == "Weather"
    assert (
        article.body_html == "<p>Temperatures passed 40C in Spain &amp; Portugal on Thursday.</p>"
    )


def test_atom_feed(parse):
    galaxy, bees = parse("atom_en.xml", "application/atom+xml")

    assert galaxy.source_format == "atom"
    assert galaxy.uri == "tag:wna.example,2024:science/earliest-galaxy"
    assert galaxy.headline == "Telescope spots earliest galaxy"
    assert galaxy.version_created == datetime(2024, 3, 29, 8, 30, tzinfo=UTC)
    assert galaxy.first_created == datetime(2024, 3, 29, 8, 0, tzinfo=UTC)
    assert galaxy.byline == "Ravi Patel"
    assert galaxy.subjects[0].code == "astronomy"
    assert "javascript:" not in galaxy.body_html
    assert "<strong>300 million years</strong>" in galaxy.body_html
    assert galaxy.pictures[0].renditions[0].href == "https://media.wna.example/galaxy.jpg"
    assert galaxy.language == "en"
    assert "onerror" not in bees.body_html
    assert '<img src="https://media.wna.example/bee.jpg">' in bees.body_html


def test_atom_single_arabic_entry(parse):
    [article] = parse("atom_ar_entry.xml")

    assert article.language == "ar"
    assert article.byline == "رنا يوسف"
    assert article.body_html.count("<p>") == 2
