"""Hostile XML and JSON: refused before anything is expanded, read or allocated."""

from __future__ import annotations

import json
import resource

import pytest


@pytest.mark.parametrize("name", ["hostile/xxe_file.xml", "hostile/xxe_parameter.xml"])
def test_external_entities_are_refused(refused, sample, name):
    error = refused(sample(name), "application/xml")

    assert (error.status, error.type) == (400, "xml-entities-forbidden")
    assert error.pointer == "line 3"


def test_xxe_never_reads_the_file(refused, sample):
    error = refused(sample("hostile/xxe_file.xml"))

    assert "root:" not in error.detail


def test_billion_laughs_is_refused_without_expanding(refused, sample):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = refused(sample("hostile/billion_laughs.xml"), "application/nitf+xml")

    assert (error.status, error.type) == (400, "xml-entities-forbidden")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


def test_internal_entity_is_refused_too(refused):
    body = (
        b'<!DOCTYPE rss [<!ENTITY name "x">]>'
        b"<rss><channel><item><title>&name;</title></item></channel></rss>"
    )

    assert refused(body).type == "xml-entities-forbidden"


def test_reference_to_an_entity_of_an_external_dtd(refused):
    body = (
        b'<!DOCTYPE nitf SYSTEM "nitf.dtd"><nitf><head><docdata><doc-id id-string="x"/>'
        b"</docdata></head><body><body.head><hedline><hl1>a&nbsp;b</hl1></hedline>"
        b"</body.head></body></nitf>"
    )

    assert refused(body).type == "xml-entities-forbidden"


def test_malformed_xml_names_the_line(refused):
    error = refused(b"<rss>\n<channel>\n<item></channel></rss>", "application/rss+xml")

    assert (error.status, error.type, error.pointer) == (400, "malformed-xml", "line 3")


def test_xml_nested_too_deep(refused):
    body = b"<rss>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</rss>"

    assert refused(body).status == 400


@pytest.mark.parametrize("depth", [65, 5000, 200_000])
def test_json_nested_too_deep(refused, depth):
    body = b'{"uri": "urn:x:1", "headline": "h", "x": ' + b"[" * depth + b"]" * depth + b"}"
    error = refused(body, "application/json")

    assert (error.status, error.type) == (400, "json-too-deep")


def test_json_nesting_within_the_limit_is_kept():
    from wirestream.ingest.formats import parse_wire

    nested: object = "leaf"
    for _ in range(60):
        nested = [nested]
    body = json.dumps({"uri": "urn:x:1", "headline": "h", "x": nested}).encode()
    [article] = parse_wire(body, "application/json", agency="wna")

    assert "x" in article.extra


def test_control_characters_and_lone_surrogates_are_dropped():
    from wirestream.ingest.formats import parse_wire

    body = b'{"uri": "urn:x:1", "headline": "a\\u0000b\\ud800c", "note": "\\udfff"}'
    [article] = parse_wire(body, "application/json", agency="wna")

    assert article.headline == "abc"
    article.model_dump_json()  # encodable
