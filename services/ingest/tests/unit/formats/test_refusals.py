"""Every refusal: status, type and the pointer the agency has to fix."""

from __future__ import annotations

import json

import pytest


def _ninjs(**fields: object) -> bytes:
    return json.dumps({"uri": "urn:x:1", "headline": "A headline", **fields}).encode()


def test_bad_json(refused):
    error = refused(b'{"uri": "urn:x:1", "headline": ', "application/json")

    assert (error.status, error.type) == (400, "malformed-json")


def test_nan_is_not_json(refused):
    error = refused(b'{"uri": "urn:x:1", "headline": "h", "urgency": NaN}', "application/json")

    assert (error.status, error.type) == (400, "malformed-json")


def test_bad_utf8_json(refused, sample):
    error = refused(sample("hostile/bad_utf8.json"), "application/json")

    assert (error.status, error.type) == (400, "invalid-encoding")
    assert "byte 48" in error.detail


def test_bad_utf8_xml(refused):
    error = refused(b"<rss><channel><item><title>caf\xe9</title></item></channel></rss>")

    assert (error.status, error.type) == (400, "invalid-encoding")


def test_missing_uri(refused):
    error = refused(json.dumps({"headline": "h"}).encode(), "application/json")

    assert (error.status, error.type, error.pointer) == (422, "missing-field", "/uri")


def test_missing_uri_in_a_batch_points_into_the_array(refused):
    body = json.dumps([{"uri": "urn:x:1", "headline": "h"}, {"headline": "h"}]).encode()
    error = refused(body, "application/json")

    assert error.pointer == "/1/uri"


def test_missing_headline(refused):
    error = refused(json.dumps({"uri": "urn:x:1", "headline": "  "}).encode())

    assert (error.status, error.type, error.pointer) == (422, "missing-field", "/headline")


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"uri": "urn:x:1", "body_text": "b"}, "/headline"),  # ninjs 1.x shape
        ({"uri": "urn:x:1", "bodies": [{"value": "b"}]}, "/headlines"),  # 2.x / 3.x shape
        ({"uri": "urn:x:1", "headlines": []}, "/headlines"),
    ],
)
def test_missing_headline_points_at_the_generation_s_field(refused, document, pointer):
    error = refused(json.dumps(document).encode())

    assert (error.status, error.pointer) == (422, pointer)


def test_invalid_feed_language(refused, sample):
    error = refused(sample("rss_en.xml").replace(b"<language>en-us", b"<language>English US"))

    assert (error.status, error.type) == (422, "invalid-field")


def test_headline_entry_without_value(refused):
    body = json.dumps({"uri": "urn:x:1", "headlines": [{"role": "main"}]}).encode()
    error = refused(body)

    assert (error.status, error.pointer) == (422, "/headlines/0/value")


@pytest.mark.parametrize(
    ("fields", "pointer"),
    [
        ({"version": "abc"}, "/version"),
        ({"version": -1}, "/version"),
        ({"version": True}, "/version"),
        ({"urgency": 12}, "/urgency"),
        ({"urgency": "high"}, "/urgency"),
        ({"versioncreated": "yesterday"}, "/versioncreated"),
        ({"versionCreated": 20240101}, "/versionCreated"),
        ({"pubStatus": "deleted"}, "/pubStatus"),
        ({"language": "not a language"}, "/language"),
        ({"headline": 42}, "/headline"),
        ({"subjects": {"name": "x"}}, "/subjects"),
        ({"subjects": ["x"]}, "/subjects/0"),
        (
            {
                "associations": {
                    "featureimage": {
                        "type": "picture",
                        "renditions": {"r/1": {"href": "https://h.example/1.jpg", "width": "wide"}},
                    }
                }
            },
            "/associations/featureimage/renditions/r~11/width",
        ),
    ],
)
def test_wrong_types_name_the_field(refused, fields, pointer):
    error = refused(_ninjs(**fields), "application/json")

    assert (error.status, error.type, error.pointer) == (422, "invalid-field", pointer)


def test_a_scalar_json_document_is_not_ninjs(refused):
    error = refused(b'"just a string"', "application/json")

    assert (error.status, error.pointer) == (422, "")


def test_missing_guid_in_g2_points_at_the_line(refused, sample):
    body = sample("g2_newsitem_en.xml").replace(
        b'guid="urn:newsml:wna.example:20240321:en-central-bank"', b""
    )
    error = refused(body)

    # libxml2 reports the line where the multi-line start tag ends
    assert (error.status, error.type, error.pointer) == (422, "missing-field", "line 9")


def test_missing_headline_in_nitf(refused, sample):
    body = sample("nitf_ar_correction.xml").replace(
        "<hl1>المنتخب يفوز على ضيفه بهدفين نظيفين</hl1>".encode(), b""
    )
    error = refused(body)

    assert (error.status, error.type) == (422, "missing-field")
    assert error.pointer.startswith("line ")


def test_wrong_version_in_g2(refused, sample):
    body = sample("g2_newsitem_ar_correction.xml").replace(b'version="2"', b'version="two"')
    error = refused(body)

    assert (error.status, error.type) == (422, "invalid-field")
    assert "version" in error.detail


def test_rss_item_with_neither_guid_nor_link(refused):
    body = b"<rss version='2.0'><channel><item><title>t</title></item></channel></rss>"
    error = refused(body, "application/rss+xml")

    assert (error.status, error.type, error.pointer) == (422, "missing-field", "line 1")


def test_bad_pubdate_in_rss(refused):
    body = (
        b"<rss><channel><item><title>t</title><guid>g</guid>"
        b"<pubDate>someday</pubDate></item></channel></rss>"
    )
    error = refused(body)

    assert (error.status, error.type) == (422, "invalid-field")


@pytest.mark.parametrize(
    "content_type", ["text/html", "image/png", "multipart/form-data; boundary=x"]
)
def test_unsupported_content_type(refused, content_type):
    error = refused(_ninjs(), content_type)

    assert (error.status, error.type) == (415, "unsupported-media-type")


def test_json_in_another_charset(refused):
    error = refused(_ninjs(), "application/json; charset=iso-8859-1")

    assert error.status == 415


def test_unknown_xml_vocabulary(refused):
    error = refused(b"<html><body>hi</body></html>", "application/xml")

    assert (error.status, error.type) == (415, "unsupported-format")


def test_g2_package_items_are_not_supported(refused):
    body = b'<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" version="1"/>'
    error = refused(body)

    assert error.status == 415 and "NewsML-G2" in error.detail


def test_unrecognisable_generic_body(refused):
    error = refused(b"hello, this is not a wire document", "text/plain")

    assert (error.status, error.type) == (415, "unsupported-format")


def test_empty_body(refused):
    error = refused(b"  \n", "application/json")

    assert (error.status, error.type) == (400, "empty-body")


def test_body_too_large(refused):
    error = refused(_ninjs(body_text="x" * 2000), "application/json", max_bytes=1000)

    assert (error.status, error.type) == (413, "payload-too-large")


def test_too_many_items(refused):
    items = [{"uri": f"urn:x:{i}", "headline": "h"} for i in range(4)]
    error = refused(json.dumps(items).encode(), "application/json", max_items=3)

    assert (error.status, error.type) == (413, "too-many-items")


def test_too_many_feed_items(refused, sample):
    error = refused(sample("rss_ar.xml"), max_items=1)

    assert error.status == 413


def test_problem_document(refused):
    error = refused(json.dumps({"headline": "h"}).encode())

    assert error.to_problem(type_base="https://wirestream.example/problems/") == {
        "type": "https://wirestream.example/problems/missing-field",
        "title": "A required field is missing",
        "status": 422,
        "detail": "the item has no identifier (uri / guid / id)",
        "pointer": "/uri",
    }
