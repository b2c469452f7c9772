"""Feed polling against a real HTTP server: conditional GETs, dedupe, failures retried."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from wirestream.common.redis_server import free_port
from wirestream.common.testing import eventually
from wirestream.ingest.models import Agency
from wirestream.ingest.polling import FeedPoller
from wirestream.ingest.writes import Writes

from .conftest import ADMIN, Ingest, IngestFactory
from .feedserver import Feed, rss, serving

pytestmark = pytest.mark.postgres


async def _make_due(ingest: Ingest, agency: str) -> None:
    async with ingest.runtime.transaction() as tx:
        await tx.session.execute(sa.update(Agency).where(Agency.name == agency).values(
            feed_next_poll_at=datetime.now(UTC) - timedelta(seconds=1)))


async def _agency(ingest: Ingest, agency: str) -> Agency:
    async with ingest.runtime.sessions() as s:
        row = await s.get(Agency, agency)
    assert row is not None
    return row


async def _requests(feed: Feed, count: int) -> list[dict[str, str]]:
    async def enough() -> list[dict[str, str]] | None:
        return list(feed.requests) if len(feed.requests) >= count else None

    return await eventually(enough)  # type: ignore[no-any-return]


async def test_feed_is_polled_conditionally_and_new_entries_ingested_once(
        ingest: Ingest) -> None:
    feed = Feed()
    feed.publish(rss([("g1", "First story"), ("g2", "Second story")]), '"v1"')
    with serving(feed) as url:
        agency, _ = await ingest.add_agency()
        r = await ingest.client.patch(f"/v1/admin/agencies/{agency}",
                                      json={"feed_url": url, "poll_interval_s": 3600},
                                      headers=ADMIN)
        assert r.status_code == 200
        first = await ingest.wait_events(2)
        assert [e.article.uri for e in first] == ["g1", "g2"]  # type: ignore[attr-defined]
        assert "if-none-match" not in feed.requests[0]
        row = await _agency(ingest, agency)
        assert row.feed_etag == '"v1"' and row.feed_last_modified == feed.last_modified

        await _make_due(ingest, agency)  # unchanged feed: 304, nothing to do
        second = (await _requests(feed, 2))[1]
        assert second["if-none-match"] == '"v1"'
        assert second["if-modified-since"] == feed.last_modified
        assert second["user-agent"].startswith("Wirestream-Ingest")
        assert len(await ingest.settled()) == 2

        feed.publish(rss([("g3", "Third story"), ("g1", "First story"),
                          ("g2", "Second story")]), '"v2"')
        await _make_due(ingest, agency)
        await _requests(feed, 3)
        events = await ingest.wait_events(3)
        await asyncio.sleep(0.3)
        events = await ingest.settled()
        assert [e.article.uri for e in events] == ["g1", "g2", "g3"]  # type: ignore[attr-defined]
        assert (await _agency(ingest, agency)).feed_etag == '"v2"'
        # Not due yet: the interval is an hour, so no further request.
        await asyncio.sleep(0.5)
        assert len(feed.requests) == 3


async def test_failures_are_recorded_and_retried_and_do_not_stop_other_feeds(
        make_ingest: IngestFactory) -> None:
    broken, good = Feed(status=500), Feed()
    good.publish(rss([("ok-1", "Fine")]), '"g1"')
    async with make_ingest(feed_retry_s=0.3) as ingest:
        with serving(broken) as broken_url, serving(good) as good_url:
            down, _ = await ingest.add_agency(feed_url=broken_url, poll_interval_s=3600)
            gone, _ = await ingest.add_agency(feed_url=f"http://127.0.0.1:{free_port()}/x",
                                              poll_interval_s=3600)
            fine, _ = await ingest.add_agency(feed_url=good_url, poll_interval_s=3600)
            [event] = await ingest.wait_events(1)
            assert event.article.agency == fine  # type: ignore[attr-defined]

            async def errors_recorded() -> bool:
                return all([(await _agency(ingest, a)).feed_error for a in (down, gone)])

            await eventually(errors_recorded)
            assert "500" in ((await _agency(ingest, down)).feed_error or "")
            await _requests(broken, 2)  # retried after feed_retry_s, not after an hour

            broken.publish(b"<rss><channel><item>", '"bad"')  # not well-formed
            await _requests(broken, 4)
            assert "FormatError" in ((await _agency(ingest, down)).feed_error or "")

            broken.publish(rss([("back-1", "Back again")]), '"b1"')
            await ingest.wait_events(2)
            assert (await _agency(ingest, down)).feed_error is None
            assert [e.article.uri for e in await ingest.settled()] == ["ok-1", "back-1"]  # type: ignore[attr-defined]


async def test_a_due_feed_is_claimed_by_one_poller_only(make_ingest: IngestFactory) -> None:
    async with make_ingest(feed_tick_s=3600) as ingest:  # the app's own loop stays asleep
        runtime = ingest.runtime
        agency, _ = await ingest.add_agency(feed_url="http://127.0.0.1:9/feed",
                                            poll_interval_s=60)
        await asyncio.sleep(0.3)  # the app's loop ticks once at start-up, then sleeps
        await _make_due(ingest, agency)
        # As four replicas would: each its own writer, racing for the same due feed.
        pollers = [FeedPoller(writes=Writes(runtime.relay, single_writer=False),
                              settings=runtime.settings,  # type: ignore[arg-type]
                              metrics=runtime.metrics) for _ in range(4)]
        claims = await asyncio.gather(*(p.claim_due() for p in pollers))
        jobs = [job for claim in claims for job in claim]
        assert [job.agency for job in jobs] == [agency]
        assert await pollers[0].claim_due() == []


async def test_disabled_agency_and_agency_without_feed_are_not_polled(
        make_ingest: IngestFactory) -> None:
    async with make_ingest(feed_tick_s=3600) as ingest:
        runtime = ingest.runtime
        poller = FeedPoller(writes=ingest.app.state.feed_poller.writes,
                            settings=runtime.settings,  # type: ignore[arg-type]
                            metrics=runtime.metrics)
        await ingest.add_agency()
        off, _ = await ingest.add_agency(feed_url="http://127.0.0.1:9/feed")
        await asyncio.sleep(0.3)  # the app's loop ticks once at start-up, then sleeps
        r = await ingest.client.patch(f"/v1/admin/agencies/{off}", json={"enable": False},
                                      headers=ADMIN)
        assert r.status_code == 200
        await _make_due(ingest, off)
        assert await poller.claim_due() == []
