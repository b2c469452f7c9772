"""Identifiers, dates, versions and content-type detection."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from wirestream.ingest.formats import FormatError, article_id_for
from wirestream.ingest.formats.detect import detect_family, media_type
from wirestream.ingest.formats.values import to_datetime, to_version


def test_article_id_is_24_hex_of_sha256():
    expected = hashlib.sha256(b"wna\nurn:x:1").hexdigest()[:24]

    assert article_id_for("wna", "urn:x:1") == expected
    assert article_id_for("other", "urn:x:1") != expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15T10:15:00Z", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),
        ("2024-03-15T13:15:00+03:00", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),
        ("2024-03-15T10:15:00", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),  # naive = UTC
        ("20240315T101500Z", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),  # NITF basic format
        ("20240315T131500+0300", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),
        ("Fri, 15 Mar 2024 10:15:00 GMT", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),
        ("Fri, 15 Mar 2024 13:15:00 +0300", datetime(2024, 3, 15, 10, 15, tzinfo=UTC)),
        ("2024-03-15", datetime(2024, 3, 15, tzinfo=UTC)),
    ],
)
def test_dates_become_aware_utc(text, expected):
    parsed = to_datetime(text, "/d")

    assert parsed == expected and parsed.tzinfo == UTC


@pytest.mark.parametrize("text", ["", "soon", "2024-13-45T99:00:00Z", "0001-01-01T00:00:00+01:00"])
def test_bad_dates_are_422(text):
    with pytest.raises(FormatError) as caught:
        to_datetime(text, "/versionCreated")

    assert (caught.value.status, caught.value.pointer) == (422, "/versionCreated")


@pytest.mark.parametrize(
    ("value", "expected"), [("1", 1), ("12", 12), (3, 3), (2.0, 2), (" 4 ", 4)]
)
def test_versions(value, expected):
    assert to_version(value, "/version") == expected


@pytest.mark.parametrize("value", ["abc", "1.5", 1.5, -1, "9" * 30, None, [], True])
def test_bad_versions(value):
    with pytest.raises(FormatError):
        to_version(value, "/version")


def test_media_type_parsing():
    assert media_type('Application/JSON; Charset="UTF-8"') == (
        "application/json",
        {"charset": "utf-8"},
    )
    assert media_type(None) == ("", {})


@pytest.mark.parametrize(
    ("content_type", "body", "family"),
    [
        ("application/json", b"{}", "json"),
        ("application/ninjs+json", b"{}", "json"),
        ("application/vnd.iptc.g2.newsitem+xml", b"<x/>", "xml"),
        ("application/nitf+xml", b"<x/>", "xml"),
        ("application/rss+xml", b"<x/>", "xml"),
        ("text/xml", b"<x/>", "xml"),
        ("application/xml", b' {"uri": "x"}', "json"),
        (None, b'\xef\xbb\xbf  {"a": 1}', "json"),
        ("application/octet-stream", b"\n<rss/>", "xml"),
        ("text/plain", b"[{}]", "json"),
        ("", "<x/>".encode("utf-16"), "xml"),
    ],
)
def test_detection(content_type, body, family):
    assert detect_family(body, content_type) == family


def test_generic_types_are_sniffed(sample):
    from wirestream.ingest.formats import parse_wire

    for content_type in (None, "application/octet-stream", "text/plain", "application/xml"):
        assert (
            parse_wire(sample("nitf_en.xml"), content_type, agency="wna")[0].source_format == "nitf"
        )
        assert parse_wire(sample("ninjs2_ar_text.json"), content_type, agency="wna")
