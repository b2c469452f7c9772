"""Large and deeply nested bodies: refused or parsed without stalling the event loop."""

from __future__ import annotations

import asyncio

from wirestream.common.testing import eventually
from wirestream.ingest.parsing import Parser

from .conftest import Ingest
from .test_refusals import assert_problem


async def test_html_nested_too_deep_is_refused_with_its_field(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    # ~4 MB of nesting: the sanitiser would take minutes over it; it never gets it.
    deep = "<div>" * 800_000
    r = await ingest.send(agency, secret, {"uri": "urn:x:deep", "headline": "h",
                                           "body_html": deep})
    problem = assert_problem(r, 422, "html-too-deep")
    assert problem["errors"] == [{"pointer": "/body_html", "detail": problem["detail"]}]
    assert ingest.app.state.parser.busy == 0
    assert await ingest.events() == []


async def test_health_answers_while_a_large_body_is_parsed(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    block = "<div>" * 50 + "<p>x</p>" + "</div>" * 50  # valid, but slow to sanitise in bulk
    body_html = block * (2_000_000 // len(block))
    parser: Parser = ingest.app.state.parser
    big = asyncio.create_task(ingest.send(agency, secret, {
        "uri": "urn:x:big", "headline": "Big", "body_html": body_html}))

    async def parsing() -> bool:
        return parser.busy > 0 or big.done()

    await eventually(parsing)
    assert not big.done(), big.result().text  # it is being parsed in a worker thread
    health = await ingest.client.get("/health")
    assert health.status_code == 200
    assert not big.done()  # /health was answered before the large delivery was
    r = await big
    assert r.status_code == 202, r.text
    assert r.json()["items"][0]["outcome"] == "new"
