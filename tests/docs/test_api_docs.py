"""The checked-in API documents match what the code generates (run `wirestream docs`)."""

from __future__ import annotations

from pathlib import Path

from wirestream.common import apidocs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"


def test_checked_in_api_documents_match_the_code() -> None:
    assert apidocs.drift(DOCS) == [], "API documents are stale: run `./wirestream docs`"


def test_every_stream_a_service_writes_is_documented_with_its_events() -> None:
    docs = apidocs.documents("enrich")
    asyncapi = docs["enrich.asyncapi.json"]
    assert "wirestream:articles:enriched:write" in asyncapi["channels"]
    schemas = asyncapi["components"]["schemas"]
    assert {"ArticleEnriched", "ArticleKilled", "StoryChanged"} <= set(schemas)
    assert "enrich:wirestream:articles:ingested:read" in asyncapi["channels"]


def test_every_http_api_has_an_openapi_document() -> None:
    for service in apidocs.SERVICES:
        openapi = apidocs.documents(service)[f"{service}.openapi.json"]
        assert openapi["openapi"].startswith("3.")
        assert openapi["info"]["title"].startswith("Wirestream")
    ingest = apidocs.documents("ingest")["ingest.openapi.json"]
    assert "/v1/wire/{agency}" in ingest["paths"]
