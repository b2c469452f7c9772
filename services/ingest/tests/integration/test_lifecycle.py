"""Versions, corrections, kills, holds and embargoes, as events on the ingested stream."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from wirestream.common.events import ArticleIngested, ArticleKilled, ArticleUpdated

from .conftest import Ingest, sample

pytestmark = pytest.mark.postgres


def item(uri: str, version: int = 1, **fields: Any) -> dict[str, Any]:
    return {"uri": uri, "version": version, "headline": f"{uri} v{version}", **fields}


async def _outcomes(ingest: Ingest, agency: str, secret: str, *docs: Any) -> list[str]:
    outcomes = []
    for doc in docs:
        r = await ingest.send(agency, secret, doc)
        assert r.status_code == 202, r.text
        outcomes += [i["outcome"] for i in r.json()["items"]]
    return outcomes


async def test_higher_version_is_an_update_and_a_flagged_one_a_correction(
        ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    outcomes = await _outcomes(ingest, agency, secret, item("urn:u", 1), item("urn:u", 2),
                               item("urn:u", 5, edNote="Correction: the minister's name"))
    assert outcomes == ["new", "update", "update"]
    first, update, correction = await ingest.wait_events(3)
    assert isinstance(first, ArticleIngested)
    assert isinstance(update, ArticleUpdated) and isinstance(correction, ArticleUpdated)
    assert (update.previous_version, update.article.version, update.is_correction) == (1, 2, False)
    assert (correction.previous_version, correction.article.version) == (2, 5)
    assert correction.is_correction and correction.article.correction_note


async def test_correction_samples_set_the_flag(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    v1 = sample("g2_newsitem_ar_correction.xml").replace(b'version="2"', b'version="1"')
    assert v1 != sample("g2_newsitem_ar_correction.xml")
    for body in (v1, sample("g2_newsitem_ar_correction.xml")):
        assert (await ingest.send(agency, secret, body, "application/xml")).status_code == 202
    _, correction = await ingest.wait_events(2)
    assert isinstance(correction, ArticleUpdated) and correction.is_correction


async def test_equal_or_lower_version_is_acknowledged_and_ignored(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    outcomes = await _outcomes(ingest, agency, secret, item("urn:s", 2), item("urn:s", 2),
                               item("urn:s", 1))
    assert outcomes == ["new", "stale", "stale"]
    events = await ingest.settled()
    assert len(events) == 1 and events[0].article.version == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("first, kill", [
    ("nitf_en.xml", "nitf_en_canceled.xml"),
    ("g2_newsitem_en.xml", "g2_newsitem_en_canceled.xml"),
    ("ninjs2_ar_text.json", "ninjs3_ar_kill.json"),
])
async def test_kill_of_a_live_item_is_emitted(ingest: Ingest, first: str, kill: str) -> None:
    agency, secret = await ingest.add_agency()
    assert (await ingest.send(agency, secret, sample(first))).status_code == 202
    r = await ingest.send(agency, secret, sample(kill))
    assert r.status_code == 202 and r.json()["items"][0]["outcome"] == "killed"
    ingested, killed = await ingest.wait_events(2)
    assert isinstance(killed, ArticleKilled)
    assert killed.article_id == ingested.article.article_id  # type: ignore[attr-defined]
    assert killed.reason == "canceled" and killed.correlation_id == ingested.correlation_id


async def test_kill_of_an_item_never_live_emits_nothing(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    later = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    outcomes = await _outcomes(
        ingest, agency, secret, item("urn:never", 1, pubStatus="canceled"),
        item("urn:emb", 1, embargoed=later), item("urn:emb", 2, pubStatus="canceled"),
        item("urn:never", 1))
    assert outcomes == ["killed", "embargoed", "killed", "stale"]
    await asyncio.sleep(1.5)  # past the embargo: a killed item is not released
    assert await ingest.settled() == []


async def test_withheld_holds_and_a_later_usable_version_goes_live(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    outcomes = await _outcomes(ingest, agency, secret, item("urn:w", 1, pubStatus="withheld"))
    assert outcomes == ["held"]
    assert await ingest.settled() == []
    outcomes = await _outcomes(ingest, agency, secret, item("urn:w", 2),
                               item("urn:w", 3, pubStatus="withheld"))
    assert outcomes == ["new", "held"]
    ingested, taken_down = await ingest.wait_events(2)
    assert isinstance(ingested, ArticleIngested) and ingested.article.version == 2
    assert isinstance(taken_down, ArticleKilled) and taken_down.reason == "withheld"


async def test_embargo_is_released_at_its_time_and_not_before(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    embargo = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    outcomes = await _outcomes(ingest, agency, secret,
                               item("urn:e", 1, embargoed=embargo.isoformat()))
    assert outcomes == ["embargoed"]
    await asyncio.sleep(max(0.0, (embargo - datetime.now(UTC)).total_seconds() - 0.5))
    assert await ingest.settled() == []
    [event] = await ingest.wait_events(1)
    assert isinstance(event, ArticleIngested)
    assert event.occurred_at >= embargo
    assert event.article.embargoed_until == embargo


async def test_past_embargo_goes_live_at_once_and_far_one_waits(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    outcomes = await _outcomes(ingest, agency, secret, item("urn:p", 1, embargoed=past),
                               sample("ninjs3_en_embargoed.json"),
                               sample("nitf_ar_embargoed.xml"))
    assert outcomes == ["new", "embargoed", "embargoed"]
    [event] = await ingest.settled()
    assert event.article.uri == "urn:p"  # type: ignore[attr-defined]


async def test_update_during_embargo_replaces_the_held_version(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    outcomes = await _outcomes(ingest, agency, secret,
                               item("urn:ue", 1, embargoed=soon), item("urn:ue", 2,
                                                                      embargoed=soon))
    assert outcomes == ["embargoed", "embargoed"]
    [event] = await ingest.wait_events(1)
    assert isinstance(event, ArticleIngested) and event.article.version == 2
    await asyncio.sleep(0.5)
    assert len(await ingest.settled()) == 1


async def test_same_item_twice_in_one_document_is_ingested_once(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    feed = (b'<rss version="2.0"><channel><item><guid>dup</guid><title>One</title></item>'
            b"<item><guid>dup</guid><title>One again</title></item></channel></rss>")
    r = await ingest.send(agency, secret, feed, "application/rss+xml")
    assert r.status_code == 202, r.text
    assert [i["outcome"] for i in r.json()["items"]] == ["new", "stale"]
    assert len(await ingest.settled()) == 1
