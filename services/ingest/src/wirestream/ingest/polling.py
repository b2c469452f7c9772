"""Feed polling: agencies with a ``feed_url`` are fetched on their schedule.

Each tick claims the agencies whose feed is due (a compare-and-set on
``feed_next_poll_at``, so two replicas never poll the same feed at once),
fetches them with a conditional GET (``If-None-Match`` / ``If-Modified-Since``)
and accepts every item of a changed feed in one transaction, exactly as the
webhook would: the versions of known items dedupe repeats. A failed poll is
logged, recorded on the agency (``feed_error``) and tried again after
``feed_retry_s``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa

from wirestream.common.metrics import Metrics

from .formats import FormatError
from .models import Agency
from .parsing import Parser
from .service import Accepted, accept_all
from .settings import IngestSettings
from .writes import Writes

log = logging.getLogger(__name__)
USER_AGENT = "Wirestream-Ingest/0.1 (feed poller)"


class FeedFailed(Exception):
    """The feed answered, but not with a feed we can take."""


@dataclass(frozen=True)
class FeedJob:
    agency: str
    url: str
    etag: str | None
    last_modified: str | None
    interval_s: int
    default_language: str | None


def _utcnow() -> datetime:
    return datetime.now(UTC)


class FeedPoller:
    """Polls due feeds; :meth:`tick` is run by ``Runtime.add_periodic``."""

    def __init__(self, *, writes: Writes, settings: IngestSettings, metrics: Metrics,
                 clock: Callable[[], datetime] = _utcnow,
                 transport: httpx.AsyncBaseTransport | None = None,
                 parser: Parser | None = None) -> None:
        self.writes = writes
        self.parser = parser or Parser()
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
        self.transport = transport

    async def tick(self) -> int:
        """Poll every feed that is due; returns how many were polled."""
        jobs = await self.claim_due()
        if not jobs:
            return 0
        limit = asyncio.Semaphore(self.settings.feed_concurrency)

        async def one(job: FeedJob) -> None:
            async with limit:
                await self.poll(client, job)

        async with httpx.AsyncClient(
            transport=self.transport, timeout=self.settings.feed_timeout_s,
            follow_redirects=True, headers={"User-Agent": USER_AGENT},
        ) as client:
            await asyncio.gather(*(one(job) for job in jobs))
        return len(jobs)

    async def claim_due(self) -> list[FeedJob]:
        """The due feeds, each leased to this process until its next poll time."""
        now = self.clock()
        due = sa.and_(Agency.feed_url.is_not(None), sa.not_(Agency.disabled),
                      sa.or_(Agency.feed_next_poll_at.is_(None),
                             Agency.feed_next_poll_at <= now))
        jobs = []
        async with self.writes.transaction() as tx:
            rows = (await tx.session.scalars(
                sa.select(Agency).where(due).order_by(Agency.priority.desc(), Agency.name)
            )).all()
            for row in rows:
                interval = row.poll_interval_s or self.settings.feed_default_interval_s
                claimed = await tx.session.execute(
                    sa.update(Agency).where(Agency.name == row.name, due)
                    .values(feed_next_poll_at=now + timedelta(seconds=interval))
                    .execution_options(synchronize_session=False))
                if claimed.rowcount == 1:  # type: ignore[attr-defined]
                    jobs.append(FeedJob(row.name, row.feed_url or "", row.feed_etag,
                                        row.feed_last_modified, interval,
                                        row.default_language))
        return jobs

    async def poll(self, client: httpx.AsyncClient, job: FeedJob) -> list[Accepted]:
        """Fetch one feed and accept its items; a failure is recorded, never raised."""
        try:
            return await self._poll(client, job)
        except (httpx.HTTPError, httpx.InvalidURL, FeedFailed, FormatError) as exc:
            await self._failed(job, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # one bad feed (or a parser bug) must not stop the others
            log.exception("feed poll crashed", extra={"agency": job.agency})
            await self._failed(job, f"{type(exc).__name__}: {exc}")
        return []

    async def _poll(self, client: httpx.AsyncClient, job: FeedJob) -> list[Accepted]:
        headers = {}
        if job.etag:
            headers["If-None-Match"] = job.etag
        if job.last_modified:
            headers["If-Modified-Since"] = job.last_modified
        async with client.stream("GET", job.url, headers=headers) as response:
            if response.status_code == 304:
                await self._succeeded(job)
                return []
            if response.status_code != 200:
                raise FeedFailed(f"HTTP {response.status_code} from {job.url}")
            body = await self._read(response)
        articles = await self.parser.parse(body, response.headers.get("content-type"),
                                           agency=job.agency,
                                           default_language=job.default_language,
                                           max_bytes=self.settings.max_body_bytes)
        async with self.writes.transaction() as tx:
            agency = await tx.session.get(Agency, job.agency, with_for_update=True)
            if agency is None or agency.disabled or agency.feed_url != job.url:
                return []  # changed while we were fetching: the next tick sees the new state
            results = await accept_all(tx, articles, now=self.clock())
            agency.feed_etag = response.headers.get("etag")
            agency.feed_last_modified = response.headers.get("last-modified")
            agency.feed_error = None
        for r in results:
            self.metrics.webhooks_accepted.labels(job.agency, r.outcome).inc()
        fresh = [r for r in results if r.outcome != "stale"]
        log.info("feed polled", extra={"agency": job.agency, "items": len(results),
                                       "accepted": len(fresh)})
        return results

    async def _read(self, response: httpx.Response) -> bytes:
        limit, chunks, size = self.settings.max_body_bytes, [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FeedFailed(f"the feed is larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _succeeded(self, job: FeedJob) -> None:
        async with self.writes.transaction() as tx:
            await tx.session.execute(
                sa.update(Agency)
                .where(Agency.name == job.agency, Agency.feed_error.is_not(None))
                .values(feed_error=None))

    async def _failed(self, job: FeedJob, error: str) -> None:
        log.warning("feed poll failed, will retry",
                    extra={"agency": job.agency, "url": job.url, "error": error})
        retry = min(self.settings.feed_retry_s, job.interval_s)
        async with self.writes.transaction() as tx:
            await tx.session.execute(
                sa.update(Agency).where(Agency.name == job.agency)
                .values(feed_error=error[:500],
                        feed_next_poll_at=self.clock() + timedelta(seconds=retry)))
