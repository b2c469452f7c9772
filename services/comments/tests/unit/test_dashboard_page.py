"""The dashboard page is complete in both languages and cannot be broken out of."""

from __future__ import annotations

import json
import re

from wirestream.comments.dashboard import render_page
from wirestream.comments.dashboard.strings import STRINGS


def test_both_languages_have_every_string() -> None:
    assert set(STRINGS["en"]) == set(STRINGS["ar"])


def test_arabic_page_is_right_to_left_and_carries_its_strings() -> None:
    page = render_page("ar")
    assert '<html lang="ar" dir="rtl">' in page
    data = re.search(r'<script id="strings" type="application/json">(.*?)</script>', page, re.S)
    assert data is not None and json.loads(data.group(1)) == STRINGS["ar"]
    assert 'href="/moderation?lang=en"' in page


def test_strings_cannot_close_the_data_island(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    hostile = dict(STRINGS["en"], title="</script><script>alert(1)</script>")
    monkeypatch.setitem(STRINGS, "en", hostile)
    page = render_page("en")
    assert "<script>alert(1)" not in page
    assert page.count("</script>") == 2  # the data island's and the app script's
