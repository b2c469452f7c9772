"""Concurrent deliveries are committed together and still answered one by one, exactly."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from wirestream.common.events import ArticleIngested, ArticleUpdated
from wirestream.ingest.api import REPLAYED_HEADER

from .conftest import Ingest, IngestFactory

pytestmark = pytest.mark.postgres


def doc(uri: str, version: int = 1) -> dict[str, object]:
    return {"uri": uri, "version": version, "headline": f"{uri} v{version}"}


async def test_a_burst_mixing_new_items_versions_and_replays(ingest: Ingest) -> None:
    agency, secret = await ingest.add_agency()
    first = await ingest.send(agency, secret, doc("urn:old"), msg_id="msg_old")
    assert first.status_code == 202
    sends = [ingest.send(agency, secret, doc(f"urn:b{i}"), msg_id=f"msg_b{i}")
             for i in range(30)]
    sends += [ingest.send(agency, secret, doc("urn:old"), msg_id="msg_old")] * 3  # replays
    sends += [ingest.send(agency, secret, doc("urn:b0"), msg_id="msg_b0")]  # a twin
    sends += [ingest.send(agency, secret, doc("urn:v", v), msg_id=f"msg_v{v}")
              for v in (1, 2, 3)]
    answers = await asyncio.gather(*sends)
    assert {a.status_code for a in answers} == {202}, [a.text for a in answers]
    replays = answers[30:33]
    assert all(a.content == first.content and a.headers[REPLAYED_HEADER] for a in replays)
    assert answers[33].json() == answers[0].json()
    events = await ingest.settled()
    uris = Counter(e.article.uri for e in events)  # type: ignore[attr-defined]
    assert uris["urn:old"] == 1 and all(uris[f"urn:b{i}"] == 1 for i in range(30))
    # Whatever order the versions were taken in, the newest ends up live, once.
    versions = [e for e in events if e.article.uri == "urn:v"]  # type: ignore[attr-defined]
    assert isinstance(versions[0], ArticleIngested)
    assert all(isinstance(e, ArticleUpdated) for e in versions[1:])
    assert versions[-1].article.version == 3  # type: ignore[attr-defined]
    assert len({e.event_id for e in events}) == len(events)


async def test_two_replicas_racing_for_the_same_new_item(make_ingest: IngestFactory) -> None:
    async with make_ingest() as one, make_ingest() as two:
        agency, secret = await one.add_agency()
        answers = await asyncio.gather(*(
            app.send(agency, secret, doc("urn:race", 1), msg_id=f"msg_{i}")
            for i, app in enumerate([one, two] * 4)))
        codes = Counter(a.status_code for a in answers)
        assert set(codes) <= {202, 503}, [a.text for a in answers]  # 503: retry, Retry-After
        outcomes = Counter(a.json()["items"][0]["outcome"] for a in answers
                           if a.status_code == 202)
        assert outcomes["new"] == 1
        [event] = await one.settled()
        assert isinstance(event, ArticleIngested)
