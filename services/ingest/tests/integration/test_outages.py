"""Redis or the database going away: what ingest answers, and what it still delivers."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from wirestream.common.redis_server import LocalRedis, free_port
from wirestream.common.streams import ARTICLES_INGESTED

from .conftest import ADMIN, Ingest, IngestFactory, running, settings_for
from .tcpproxy import TcpProxy
from .test_refusals import assert_problem

pytestmark = pytest.mark.postgres


async def test_redis_down_during_a_burst_loses_and_duplicates_nothing(
        ingest: Ingest, redis_server: LocalRedis) -> None:
    agency, secret = await ingest.add_agency()
    await ingest.send(agency, secret, {"uri": "urn:before", "headline": "Before"})
    await ingest.wait_events(1)
    redis_server.stop()
    try:
        burst = [{"uri": f"urn:burst:{i}", "headline": f"Burst {i}"} for i in range(40)]
        answers = []
        for start in range(0, len(burst), 10):  # ten at a time, as an agency's pool would
            answers += await asyncio.gather(*(ingest.send(agency, secret, doc)
                                              for doc in burst[start:start + 10]))
        assert [a.status_code for a in answers] == [202] * len(burst), answers[0].text
        await asyncio.sleep(0.5)  # the relay keeps failing meanwhile
    finally:
        redis_server.start()
    events = await ingest.wait_events(1 + len(burst), within=30)
    await asyncio.sleep(1.0)  # anything relayed twice would show up by now
    entries: list[Any] = await ingest.redis.xrange(ARTICLES_INGESTED)  # type: ignore[assignment]
    event_ids = [fields[b"event_id"] for _, fields in entries]
    assert len(event_ids) == len(set(event_ids)) == 1 + len(burst)
    assert {e.article.uri for e in events} == {"urn:before"} | {d["uri"] for d in burst}  # type: ignore[attr-defined]


def _via(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username}@127.0.0.1:{port}" if parts.username else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


async def test_database_down_is_a_503_with_retry_after_and_accepts_nothing(
        redis_url: str, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("takes a PostgreSQL server away; SQLite is a file in the process")
    target = urlsplit(database_url)
    proxy = await TcpProxy(target.hostname or "127.0.0.1", target.port or 5432).start()
    settings = settings_for(redis_url, _via(database_url, proxy.port))
    try:
        async with running(settings) as ingest:
            agency, secret = await ingest.add_agency()
            doc = {"uri": "urn:outage", "headline": "During the outage"}
            await proxy.stop()
            for _ in range(2):  # pooled connections are dead, new ones are refused
                r = await ingest.send(agency, secret, doc)
                problem = assert_problem(r, 503, "service-unavailable")
                assert r.headers["retry-after"].isdigit()
                assert "Traceback" not in r.text and problem["detail"]
            assert_problem(await ingest.client.get("/v1/admin/agencies", headers=ADMIN), 503)
            ready = await ingest.client.get("/ready")
            assert ready.status_code == 503 and ready.json()["database"].startswith("error")
            await proxy.start()
            r = await ingest.send(agency, secret, doc)
            assert r.status_code == 202, r.text
            assert r.json()["items"][0]["outcome"] == "new"  # nothing was stored before
            assert len(await ingest.wait_events(1)) == 1
    finally:
        await proxy.stop()


async def test_database_never_reachable_is_a_503(make_ingest: IngestFactory,
                                                 database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("points the app at a closed PostgreSQL port")
    closed = _via(database_url, free_port())
    async with make_ingest(database_url=closed, run_migrations=False) as ingest:
        r = await ingest.send("wna", "whsec_" + "A" * 32, {"uri": "urn:x", "headline": "h"})
        assert_problem(r, 503, "service-unavailable")
        assert r.headers["retry-after"] == "5"
