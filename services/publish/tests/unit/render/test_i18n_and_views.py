"""Language helpers and view-model helpers."""

from __future__ import annotations

from datetime import datetime

import pytest

from wirestream.common.events import Picture, Rendition, Tag
from wirestream.publish.render import image_ref, tag_view
from wirestream.publish.render.i18n import Translator, arabic_indic, plural_category, text_direction
from wirestream.publish.render.pages import thread


def test_text_direction():
    assert text_direction("ar") == "rtl"
    assert text_direction("ar-EG") == "rtl"
    assert text_direction("fa") == "rtl"
    assert text_direction("en") == "ltr"
    assert text_direction(None) == "ltr"


def test_strings_fall_back_to_english():
    assert Translator("ar")("live") == "مباشر"
    assert Translator("ar")("machine_translated") == "ترجمة آلية"
    assert Translator("fr")("live") == "Live"


def test_arabic_plurals():
    assert [plural_category(n, "ar") for n in (0, 1, 2, 3, 10, 11, 99, 100, 103)] == [
        "zero", "one", "two", "few", "few", "many", "many", "other", "few",
    ]  # fmt: skip
    assert Translator("ar").plural("items", 2) == "مادتان"
    assert Translator("en").plural("items", 1) == "1 item"


def test_dates_and_digits():
    when = datetime(2025, 3, 5, 9, 7)
    assert Translator("en").date(when) == "5 March 2025, 09:07 UTC"
    assert Translator("ar").date(when) == "5 مارس 2025، 09:07 UTC"
    assert Translator("ar", arabic_digits=True).date(when) == "٥ مارس ٢٠٢٥، ٠٩:٠٧ UTC"
    assert Translator("en", arabic_digits=True).num(42) == "42"
    assert arabic_indic(2025) == "٢٠٢٥"


def test_tag_view_picks_the_page_language():
    tag = Tag(kind="place", id="Q85", labels={"en": "Cairo", "ar": "القاهرة"})
    assert tag_view(tag, language="ar", url="/ar/tags/Q85").label == "القاهرة"
    assert tag_view(tag, language="fr", url="/fr/tags/Q85").label == "Cairo"


def test_image_ref_prefers_the_widest_rendition():
    picture = Picture(
        uri="https://img.example/orig.jpg",
        description="Protesters in Tahrir Square",
        credit="Reuters",
        renditions=(
            Rendition(href="https://img.example/s.jpg", width=320),
            Rendition(href="https://img.example/l.jpg", width=1280),
        ),
    )
    assert image_ref(picture) == (
        "https://img.example/l.jpg",
        "Protesters in Tahrir Square",
        "Reuters",
    )
    assert image_ref(Picture()) is None


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
    "\x01javascript:alert(1)", "data:image/svg+xml;base64,PHN2Zz4=", "vbscript:msgbox(1)",
    "urn:newsml:example.com:20250304:pic1", "http://[::1", "",
])
def test_image_ref_drops_urls_that_are_not_http(href):
    assert image_ref(Picture(uri=href, renditions=(Rendition(href=href, width=800),))) is None


def test_image_ref_takes_the_widest_http_rendition_and_cleans_it():
    picture = Picture(uri="urn:pic:1", renditions=(
        Rendition(href="javascript:alert(1)", width=2000),
        Rendition(href=" https://img.example/m\n.jpg ", width=800),
        Rendition(href="/img/s.jpg", width=320)))
    assert image_ref(picture) is not None and image_ref(picture).src == "https://img.example/m.jpg"
    relative = Picture(renditions=(Rendition(href="data:,x", width=9),
                                   Rendition(href="//cdn.example/p.jpg", width=1)))
    assert image_ref(relative) is not None and image_ref(relative).src == "//cdn.example/p.jpg"


def test_thread_survives_cycles(make_comment):
    a = make_comment(comment_id="a", parent_id="b")
    b = make_comment(comment_id="b", parent_id="a")
    c = make_comment(comment_id="c")
    # a and b only reference each other: neither is reachable from the top level,
    # so they are dropped rather than looping; c is kept.
    assert [(x.comment_id, d) for x, d in thread([a, b, c])] == [("c", 0)]
