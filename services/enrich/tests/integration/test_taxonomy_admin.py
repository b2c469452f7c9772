"""The taxonomy admin API, and enrichers reloading after a change made anywhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from wirestream.common.events import ArticleIngested
from wirestream.common.testing import eventually
from wirestream.enrich.taxonomy_store import upsert_concepts
from wirestream.enrich.text.taxonomy import Concept

from .conftest import ADMIN
from .items import FLOODS, article

AUTH = {"Authorization": f"Bearer {ADMIN}"}
# A made-up authority, so no starter concept can match it by accident.
AUTHORITY = {"agency": "aa", "language": "ar",
             "headline": "هيئة مياه الساحل تعلن خطة طوارئ للصيف",
             "body_html": "<p>أعلنت هيئة مياه الساحل خطة طوارئ لمواجهة نقص المياه خلال الصيف، "
                          "وقالت الهيئة إن الخطة تشمل حفر آبار جديدة.</p>"}
AUTHORITY_CONCEPT = {"id": "org:coastal-water-authority", "kind": "organisation",
                     "labels": {"en": "Coastal Water Authority", "ar": "هيئة مياه الساحل"}}
# IPTC Media Topics SKOS JSON-LD, the shape cv.iptc.org serves (one narrower concept).
FLOOD_JSONLD = {"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"},
                "conceptSet": [{
                    "uri": "http://cv.iptc.org/newscodes/mediatopic/20000148",
                    "qcode": "medtop:20000148",
                    "type": ["http://www.w3.org/2004/02/skos/core#Concept"],
                    "prefLabel": {"en-GB": "flood", "ar": "فيضان"},
                    "altLabel": {"en-GB": ["floods", "flooding", "flooded"]},
                    "broader": ["http://cv.iptc.org/newscodes/mediatopic/06000000"]},
                    {"uri": "http://cv.iptc.org/newscodes/mediatopic/99999999",
                     "qcode": "medtop:99999999", "retired": "2020-01-01",
                     "prefLabel": {"en-GB": "retired topic"}}]}


def tags_of(events: list[dict[str, Any]], article_id: str) -> set[str]:
    return {t["id"] for e in events if e["event_type"] == "article.enriched"
            and e["article"]["article_id"] == article_id for t in e["tags"]}


async def test_admin_api_needs_the_token(enrich) -> None:  # type: ignore[no-untyped-def]
    async with enrich() as e, e.http() as client:
        assert (await client.get("/v1/admin/taxonomy")).status_code == 401
        wrong = await client.get("/v1/admin/taxonomy", headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401
        assert wrong.headers["content-type"] == "application/problem+json"
        assert (await client.post("/v1/admin/taxonomy", json=AUTHORITY_CONCEPT)).status_code == 401
        bare = await client.get("/v1/admin/taxonomy", headers={"Authorization": ADMIN})
        assert bare.status_code == 401  # the token without its scheme is not enough
        assert bare.headers["www-authenticate"] == "Bearer"
        right = await client.get("/v1/admin/taxonomy", headers=AUTH)
        assert right.status_code == 200
        assert isinstance(right.json(), list)
    async with enrich(admin_token=None) as e, e.http() as client:
        assert (await client.get("/v1/admin/taxonomy", headers=AUTH)).status_code == 401


async def test_added_concept_tags_the_next_article(enrich) -> None:  # type: ignore[no-untyped-def]
    before, after = article(AUTHORITY), article(AUTHORITY, 5)
    async with enrich() as e, e.http() as client:
        await e.publish(ArticleIngested(article=before))
        await e.wait_for(lambda ev: tags_of(ev, before.article_id) or ev)
        bad = await client.post("/v1/admin/taxonomy", headers=AUTH,
                                json={**AUTHORITY_CONCEPT, "kind": "ship"})
        assert bad.status_code == 422
        r = await client.post("/v1/admin/taxonomy", headers=AUTH, json=AUTHORITY_CONCEPT)
        assert r.status_code == 201, r.text
        await e.publish(ArticleIngested(article=after))
        events = await e.wait_for(lambda ev: tags_of(ev, after.article_id) and ev)
        listed = (await client.get("/v1/admin/taxonomy", headers=AUTH,
                                   params={"kind": "organisation", "q": "coastal"})).json()
    assert "org:coastal-water-authority" not in tags_of(events, before.article_id)
    assert "org:coastal-water-authority" in tags_of(events, after.article_id)
    assert [c["id"] for c in listed] == ["org:coastal-water-authority"]


async def test_import_jsonld_and_csv_through_the_api(enrich) -> None:  # type: ignore[no-untyped-def]
    floods = article(FLOODS)
    csv = ("id,kind,lang,label,aliases\n"
           "org:coastal-water-authority,organisation,en,Coastal Water Authority,CWA\n"
           "org:coastal-water-authority,organisation,ar,هيئة مياه الساحل,\n")
    async with enrich() as e, e.http() as client:
        r = await client.post("/v1/admin/taxonomy/import", headers={
            **AUTH, "content-type": "application/ld+json"}, content=json.dumps(FLOOD_JSONLD))
        assert r.status_code == 200, r.text
        assert r.json()["imported"] == 1  # the retired topic is skipped
        r = await client.post("/v1/admin/taxonomy/import",
                              headers={**AUTH, "content-type": "text/csv"}, content=csv)
        assert r.json()["imported"] == 1
        refused = await client.post("/v1/admin/taxonomy/import",
                                    headers={**AUTH, "content-type": "text/csv"},
                                    content="id,kind,lang,label\nx:y,ship,en,Boat\n")
        assert refused.status_code == 422
        await e.publish(ArticleIngested(article=floods))
        events = await e.wait_for(lambda ev: tags_of(ev, floods.article_id) and ev)
        listed = {c["id"]: c for c in (await client.get(
            "/v1/admin/taxonomy", headers=AUTH, params={"q": "flood"})).json()}
    assert "medtop:20000148" in tags_of(events, floods.article_id)
    assert listed["medtop:20000148"]["labels"] == {"en": "flood", "ar": "فيضان"}


async def test_a_change_made_elsewhere_is_picked_up(enrich) -> None:  # type: ignore[no-untyped-def]
    item = article(AUTHORITY)
    async with enrich() as e:
        live = e.app.state.live
        loaded = live.version
        # What the CLI (or another replica) does: write the table and bump the version.
        async with e.runtime.sessions() as session, session.begin():
            await upsert_concepts(session, [Concept(
                id="org:coastal-water-authority", kind="organisation",
                labels={"ar": "هيئة مياه الساحل"})], now=datetime.now(UTC))

        async def reloaded() -> bool:
            return bool(live.version > loaded)

        await eventually(reloaded, timeout=10)
        await e.publish(ArticleIngested(article=item))
        events = await e.wait_for(lambda ev: tags_of(ev, item.article_id) and ev)
    assert "org:coastal-water-authority" in tags_of(events, item.article_id)
