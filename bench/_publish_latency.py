"""Helpers for ``bench/publish.py``: webhook-to-page-live latency through the whole platform.

An item is live when publish's ``/live`` stream announces it: publish emits
that event in the transaction that stores the item's page.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
import uuid
from dataclasses import dataclass, field

import httpx
from _enrich_articles import make_articles
from redis.asyncio import Redis

from wirestream.cli.dev import DEV_ADMIN_TOKEN
from wirestream.common.envelope import unpack_envelope
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_INGESTED, ARTICLES_PUBLISHED
from wirestream.common.webhooks import sign_headers


def items(n: int, rng: random.Random) -> list[dict[str, object]]:
    """``n`` ninjs items of ~600 words, half Arabic and half English, about events of six
    items each (the enrich benchmark's articles: two people and a city from the starter
    taxonomy in the lead, prose that differs between events), so stories form as on a wire.
    """
    prefix = uuid.UUID(int=rng.getrandbits(128)).hex[:12]
    return [{"uri": f"urn:bench:{a.article_id}", "version": 1, "language": a.language,
             "urgency": 4, "headlines": [{"value": a.headline}],
             "bodies": [{"contentType": "text/html", "value": a.body_html}],
             "by": "Bench desk"}
            for a in make_articles(n, seed=rng.randrange(1 << 30), prefix=prefix)]


@dataclass
class Live:
    """Reads publish's SSE ticker; notes when each article id was announced."""

    url: str
    seen: dict[str, float] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=None) as client, \
                client.stream("GET", f"{self.url}/live") as response:
            event = ""
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event in ("published", "breaking"):
                    self.seen.setdefault(json.loads(line[6:])["article_id"], time.perf_counter())
                    self.changed.set()

    async def all_of(self, ids: set[str], within_s: float) -> bool:
        deadline = time.perf_counter() + within_s
        while not ids <= self.seen.keys():
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=left)
            except TimeoutError:
                return False
        return True


def agency(ingest: str, name: str) -> str:
    """A new agency on ``ingest``; returns its signing secret."""
    token = os.environ.get("WIRESTREAM_ADMIN_TOKEN", DEV_ADMIN_TOKEN)
    r = httpx.post(f"{ingest}/v1/admin/agencies", json={"name": name, "default_language": "en"},
                   headers={"Authorization": f"Bearer {token}"}, timeout=10)
    r.raise_for_status()
    return str(r.json()["secret"])


class Sender:
    def __init__(self, ingest: str, name: str, secret: str) -> None:
        self.url = f"{ingest}/v1/wire/{name}"
        self.secret = secret
        self.sent: dict[str, float] = {}
        self.client = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=200))

    async def send(self, doc: dict[str, object]) -> None:
        body = json.dumps(doc)
        headers = {"content-type": "application/json", **sign_headers(self.secret, body)}
        started = time.perf_counter()
        for attempt in range(5):  # as an agency would: same webhook-id, so never twice
            try:
                r = await self.client.post(self.url, content=body.encode(), headers=headers)
                break
            except httpx.TransportError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.2 * (attempt + 1))
        if r.status_code != 202:
            raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
        self.sent[r.json()["article_id"]] = started


# Where an item's time goes: each stage ends when the item's event is added to the next
# stream (stream ids carry Redis's clock in ms), the last when the ticker announces it.
STAGES = (("webhook -> ingested", ARTICLES_INGESTED, "article.ingested"),
          ("ingested -> enriched", ARTICLES_ENRICHED, "article.enriched"),
          ("enriched -> published", ARTICLES_PUBLISHED, "article.published"))


async def stages(redis_url: str, sender: Sender, live: Live,
                 ids: set[str]) -> dict[str, list[float]]:
    """Per-stage latencies (ms) of ``ids``, from the streams' entry ids."""
    wall = time.time() - time.perf_counter()  # the sender's and the ticker's clock to Redis's
    at: dict[str, dict[str, float]] = {}
    redis = Redis.from_url(redis_url)
    try:
        for _name, stream, event_type in STAGES:
            for entry_id, fields in await redis.xrange(stream):
                if fields.get(b"event_type") != event_type.encode():
                    continue
                event = json.loads(unpack_envelope(fields[b"__data__"])[0])
                article_id = event.get("article_id") or event.get("article", {}).get("article_id")
                if article_id in ids:
                    at.setdefault(article_id, {})[stream] = int(entry_id.split(b"-")[0]) / 1000
    finally:
        await redis.aclose()
    out: dict[str, list[float]] = {name: [] for name, _s, _t in STAGES}
    out["published -> on the ticker"] = []
    for article_id, seen in at.items():
        if len(seen) < len(STAGES) or article_id not in live.seen:
            continue
        before = sender.sent[article_id] + wall
        for name, stream, _t in STAGES:
            out[name].append((seen[stream] - before) * 1000)
            before = seen[stream]
        out["published -> on the ticker"].append((live.seen[article_id] + wall - before) * 1000)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def steady(sender: Sender, live: Live, *, rate: float, seconds: float,
                 rng: random.Random) -> list[float]:
    """Latencies (s) of ``rate`` items/s sent on a fixed schedule for ``seconds``."""
    docs = items(int(rate * seconds), rng)
    before = set(sender.sent)
    start = time.perf_counter()
    tasks = []
    for i, doc in enumerate(docs):
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(sender.send(doc)))
    await asyncio.gather(*tasks)
    ids = set(sender.sent) - before
    await live.all_of(ids, within_s=120)
    return [live.seen[i] - sender.sent[i] for i in ids if i in live.seen]


async def burst(sender: Sender, live: Live, *, count: int, concurrency: int,
                rng: random.Random) -> tuple[float, float, list[float], int]:
    """(seconds to send, seconds until all live, latencies, items live)."""
    docs = items(count, rng)
    already = set(sender.sent)
    queue = iter(docs)
    start = time.perf_counter()

    async def worker() -> None:
        for doc in queue:
            await sender.send(doc)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    sent_s = time.perf_counter() - start
    ids = set(sender.sent) - already
    await live.all_of(ids, within_s=300)
    live_ids = [i for i in ids if i in live.seen]
    done = max((live.seen[i] for i in live_ids), default=time.perf_counter()) - start
    return sent_s, done, [live.seen[i] - sender.sent[i] for i in live_ids], len(live_ids)
