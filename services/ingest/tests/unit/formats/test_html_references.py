"""'&' and no-break spaces: sanitised exactly as nh3 alone would, without its quadratic cost."""

from __future__ import annotations

import json
import random
import resource

import nh3
import pytest

from wirestream.ingest.formats import FormatError, parse_wire
from wirestream.ingest.formats.html import MAX_HTML_REFERENCES, sanitize_html

OPTIONS = {"tags": {"p", "a", "img"}, "attributes": {"a": {"href"}, "img": {"src", "alt"}},
           "link_rel": "noopener nofollow"}
PIECES = ["&", "amp", ";", "nbsp", "#38", "#x26", "#160", "\xa0", "a", "<p>", "</p>",
          "<a href='?q=1&", "'>", "=", " ", "x", "#", "lt", "X", "0", "AMP"]


@pytest.mark.parametrize("html", [
    "<p>Tom &amp; Jerry&nbsp;go</p>", "AT&T", "a & b", "&amp x", "&ampx", "x&nbspy", "&#38 x",
    '<a href="http://x/?a=1&b=2&amp;c=3">l</a>', "x &eacute; &lt;b&gt; &#38; &#xA0;y",
    '<img src="http://i/a.png?x=1&y=2" alt="a &quot;b&quot; &amp; c">',
])
def test_same_output_as_nh3(html: str) -> None:
    assert sanitize_html(html) == nh3.clean(html, **OPTIONS).strip()


def test_same_output_as_nh3_on_random_reference_soup() -> None:
    rng = random.Random(7)
    for _ in range(5000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
        assert sanitize_html(html) == nh3.clean(html, **OPTIONS).strip(), html


def test_private_use_marks_in_the_input_do_not_turn_into_references() -> None:
    assert sanitize_html("a\ue000b\ue001c") == "abc"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_five_megabytes_of_references_cost_about_as_much_as_five_megabytes_of_text() -> None:
    """A ratio in the same run, not a time: nh3 alone was ~40x plain text here (quadratic)."""
    n = 5_000_000
    started = _cpu()
    sanitize_html("x" * n)
    plain = _cpu() - started
    started = _cpu()
    sanitize_html("&amp;&#x202e;&#0;&nbsp;a & b\xa0" * (n // 31))
    soup = _cpu() - started
    assert soup < 20 * max(plain, 0.02), (soup, plain)


@pytest.mark.parametrize("unit", ["&amp ", "&#38 ", "&AMP;x", "&NonBreakingSpace;"])
def test_legacy_reference_soup_is_refused_naming_the_field(unit: str) -> None:
    body = json.dumps({"uri": "urn:x:1", "headlines": [{"value": "h"}],
                       "bodies": [{"contentType": "text/html",
                                   "value": unit * (MAX_HTML_REFERENCES + 10)}]})
    with pytest.raises(FormatError) as caught:
        parse_wire(body.encode(), "application/json", agency="a")
    assert caught.value.status == 422
    assert caught.value.type == "html-too-many-references"
    assert caught.value.pointer and caught.value.pointer.startswith("/bodies/0")


def test_arabic_spelt_as_numeric_references_is_accepted() -> None:
    html = "<p>" + "&#1575;&#1604;" * (MAX_HTML_REFERENCES * 2) + "</p>"
    assert sanitize_html(html).startswith("<p>الال")
