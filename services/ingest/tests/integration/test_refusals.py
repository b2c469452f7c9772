"""Every refusal is problem+json with its status, and stores and emits nothing."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from wirestream.common.problems import PROBLEM_JSON

from .conftest import Ingest, IngestFactory, sample

pytestmark = pytest.mark.postgres


def assert_problem(r: httpx.Response, status: int, type_: str | None = None) -> dict:  # type: ignore[type-arg]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM_JSON)
    problem = r.json()
    assert problem["status"] == status and problem["title"]
    if type_:
        assert problem["type"].endswith("/" + type_), problem
    return problem  # type: ignore[no-any-return]


@pytest.mark.parametrize("body, content_type, status, type_", [
    (b"{not json", "application/json", 400, "malformed-json"),
    (b"<rss><channel>", "application/rss+xml", 400, "malformed-xml"),
    (b"   ", "application/json", 400, "empty-body"),
    (b"<html><body>hi</body></html>", "text/html", 415, "unsupported-media-type"),
    (b"<catalog/>", "application/xml", 415, "unsupported-format"),
    (b'{"headline": "no uri"}', "application/json", 422, "missing-field"),
    (b'{"uri": "urn:x", "headline": "h", "version": "two"}', "application/json", 422,
     "invalid-field"),
])
async def test_bad_documents_are_refused(ingest: Ingest, body: bytes, content_type: str,
                                         status: int, type_: str) -> None:
    agency, secret = await ingest.add_agency()
    problem = assert_problem(await ingest.send(agency, secret, body, content_type), status,
                             type_)
    if status == 422:
        assert problem["errors"][0]["pointer"] in ("/uri", "/version")
    assert await ingest.settled() == []


async def test_a_refused_delivery_leaves_no_receipt(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    bad = await ingest.send(agency, secret, b'{"headline": "no uri"}', "application/json",
                            msg_id="msg_fixme")
    assert bad.status_code == 422
    fixed = await ingest.send(agency, secret, {"uri": "urn:fixed", "headline": "h"},
                              msg_id="msg_fixme")
    assert fixed.status_code == 202 and fixed.json()["items"][0]["outcome"] == "new"


async def test_body_that_is_not_utf8_is_a_400(ingest: Ingest) -> None:
    agency, _ = await ingest.add_agency()
    r = await ingest.client.post(f"/v1/wire/{agency}", content=sample("hostile/bad_utf8.json"),
                                 headers={"content-type": "application/json"})
    assert_problem(r, 400, "invalid-utf8")


async def test_too_large_is_a_413_declared_or_streamed(make_ingest: IngestFactory) -> None:
    async with make_ingest(max_body_bytes=2048) as ingest:
        agency, secret = await ingest.add_agency()
        big = {"uri": "urn:big", "headline": "h", "body_html": "<p>" + "x" * 3000 + "</p>"}
        assert_problem(await ingest.send(agency, secret, big), 413, "payload-too-large")

        async def chunks() -> AsyncIterator[bytes]:  # no content-length: counted as it comes
            for _ in range(4):
                yield b" " * 1000

        r = await ingest.client.post(f"/v1/wire/{agency}", content=chunks(),
                                     headers={"content-type": "application/json"})
        assert_problem(r, 413, "payload-too-large")
        small = await ingest.send(agency, secret, {"uri": "urn:small", "headline": "h"})
        assert small.status_code == 202
        assert len(await ingest.wait_events(1)) == 1


async def test_parse_limit_follows_the_body_limit(make_ingest: IngestFactory) -> None:
    # The parser's own limit is the configured one, not its 10 MiB default.
    async with make_ingest(max_body_bytes=11 * 1024 * 1024) as ingest:
        agency, secret = await ingest.add_agency()
        body = b'{"uri": "urn:x", "headline": "h", "pad": "' + b"x" * (10 * 1024 * 1024) + b'"}'
        r = await ingest.send(agency, secret, body, "application/json")
        assert r.status_code == 202, r.text[:300]


async def test_billion_laughs_is_refused(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    r = await ingest.send(agency, secret, sample("hostile/billion_laughs.xml"), "application/xml")
    assert_problem(r, 400, "xml-entities-forbidden")


async def test_xxe_reads_no_file_and_fetches_nothing(ingest: Ingest, tmp_path: Path) -> None:
    agency, secret = await ingest.add_agency()
    marker = "TOP-SECRET-4242"
    (tmp_path / "secret.txt").write_text(marker)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    documents = [
        sample("hostile/xxe_file.xml").replace(b"file:///etc/passwd",
                                               (tmp_path / "secret.txt").as_uri().encode()),
        sample("hostile/xxe_parameter.xml").replace(b"http://attacker.example",
                                                    f"http://127.0.0.1:{port}".encode()),
    ]
    try:
        for doc in documents:
            r = await ingest.send(agency, secret, doc, "application/xml")
            assert_problem(r, 400, "xml-entities-forbidden")
            assert marker not in r.text
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody called the "attacker"
    finally:
        listener.close()
    assert await ingest.settled() == []


async def test_overlong_webhook_id_is_a_400_not_a_crash(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    r = await ingest.send(agency, secret, {"uri": "urn:x", "headline": "h"}, msg_id="m" * 300)
    assert_problem(r, 400, "invalid-webhook-id")


async def test_overlong_uri_is_a_422_not_a_database_error(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    r = await ingest.send(agency, secret, {"uri": "urn:" + "u" * 1010, "headline": "h"})
    assert_problem(r, 422, "invalid-field")


async def test_unknown_route_and_method_are_problems_too(ingest: Ingest) -> None:
    assert_problem(await ingest.client.get("/v1/wire/x"), 405)
    assert_problem(await ingest.client.get("/nope"), 404)

