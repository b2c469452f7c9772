"""Standard Webhooks signatures: rotation, freshness, replays."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from wirestream.common.webhooks import new_secret, sign_headers
from wirestream.ingest.api import REPLAYED_HEADER

from .conftest import ADMIN, Ingest
from .test_refusals import assert_problem

pytestmark = pytest.mark.postgres


def doc(uri: str) -> dict[str, str]:
    return {"uri": uri, "headline": f"About {uri}"}


async def _rotate(ingest: Ingest, agency: str) -> str:
    r = await ingest.client.post(f"/v1/admin/agencies/{agency}/rotate", headers=ADMIN)
    assert r.status_code == 200, r.text
    return r.json()["secret"]  # type: ignore[no-any-return]


async def test_rotation_keeps_the_previous_secret_until_the_next(ingest: Ingest) -> None:
    agency, first = await ingest.add_agency()
    second = await _rotate(ingest, agency)
    assert second != first
    assert (await ingest.send(agency, first, doc("urn:r1"))).status_code == 202
    assert (await ingest.send(agency, second, doc("urn:r2"))).status_code == 202
    third = await _rotate(ingest, agency)
    assert_problem(await ingest.send(agency, first, doc("urn:r3")), 401, "invalid-signature")
    assert (await ingest.send(agency, second, doc("urn:r4"))).status_code == 202
    assert (await ingest.send(agency, third, doc("urn:r5"))).status_code == 202
    events = await ingest.settled()
    assert [e.article.uri for e in events] == ["urn:r1", "urn:r2", "urn:r4", "urn:r5"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)])
async def test_timestamp_outside_five_minutes_is_refused(ingest: Ingest,
                                                         skew: timedelta) -> None:
    agency, secret = await ingest.add_agency()
    r = await ingest.send(agency, secret, doc("urn:t"), timestamp=datetime.now(UTC) + skew)
    problem = assert_problem(r, 401, "invalid-signature")
    assert "timestamp" in problem["detail"]
    assert r.headers["www-authenticate"].startswith("Webhook")
    near = await ingest.send(agency, secret, doc("urn:t"),
                             timestamp=datetime.now(UTC) - timedelta(minutes=4))
    assert near.status_code == 202


async def test_wrong_missing_or_foreign_signatures_are_refused(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    _, other_secret = await ingest.add_agency()
    assert_problem(await ingest.send(agency, new_secret(), doc("urn:a")), 401)
    assert_problem(await ingest.send(agency, other_secret, doc("urn:a")), 401)
    assert_problem(await ingest.send("nobody", secret, doc("urn:a")), 401)
    bare = await ingest.client.post(f"/v1/wire/{agency}", json=doc("urn:a"))
    assert_problem(bare, 401)
    garbled = await ingest.client.post(
        f"/v1/wire/{agency}", json=doc("urn:a"),
        headers={"webhook-id": "m", "webhook-timestamp": str(int(datetime.now(UTC).timestamp())),
                 "webhook-signature": "v1,not-base64 v2 ,,,"})
    assert_problem(garbled, 401)
    signed = sign_headers(secret, json.dumps(doc("urn:a")))
    tampered = await ingest.client.post(f"/v1/wire/{agency}", json=doc("urn:b"), headers=signed)
    assert_problem(tampered, 401)
    assert await ingest.settled() == []


async def test_disabled_agency_is_refused_and_enabled_again(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    r = await ingest.client.post(f"/v1/admin/agencies/{agency}/disable", headers=ADMIN)
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert_problem(await ingest.send(agency, secret, doc("urn:d")), 401)
    r = await ingest.client.patch(f"/v1/admin/agencies/{agency}", json={"enable": True},
                                  headers=ADMIN)
    assert r.status_code == 200 and r.json()["disabled"] is False
    assert (await ingest.send(agency, secret, doc("urn:d"))).status_code == 202


async def test_replayed_webhook_id_gets_the_same_answer_and_no_second_event(
        ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    first = await ingest.send(agency, secret, doc("urn:rp"), msg_id="msg_once")
    assert first.status_code == 202 and REPLAYED_HEADER not in first.headers
    again = await ingest.send(agency, secret, doc("urn:rp"), msg_id="msg_once")
    assert again.status_code == 202
    assert again.content == first.content
    assert again.headers[REPLAYED_HEADER] == "true"
    # The id is the idempotency key: even a different body is not looked at again.
    other = await ingest.send(agency, secret, doc("urn:other"), msg_id="msg_once")
    assert other.status_code == 202 and other.content == first.content
    garbage = await ingest.send(agency, secret, b"{not json", "application/json",
                                msg_id="msg_once")
    assert garbage.status_code == 202 and garbage.content == first.content
    assert len(await ingest.settled()) == 1


async def test_concurrent_duplicate_deliveries_emit_once(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    answers = await asyncio.gather(*(
        ingest.send(agency, secret, doc("urn:race"), msg_id="msg_race") for _ in range(5)))
    assert [a.status_code for a in answers] == [202] * 5, [a.text for a in answers]
    assert len({json.dumps(a.json(), sort_keys=True) for a in answers}) == 1
    assert sum(REPLAYED_HEADER in a.headers for a in answers) == 4
    assert len(await ingest.settled()) == 1
