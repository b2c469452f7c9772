"""The load generator: an agency pushing signed wire items (new ones, updates, kills) and
readers posting comments, each retried as a real client would while the platform is hurt."""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import time
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from wirestream.cli.dev import DEV_ADMIN_TOKEN
from wirestream.common.webhooks import sign_headers

from .ledger import Item, Ledger, PostedComment

RETRY_FOR_S = 120.0  # a client keeps retrying an unanswered request this long
_TRANSIENT = (httpx.TransportError, httpx.TimeoutException)


def wire_item(n: int, version: int, *, killed: bool = False) -> dict[str, object]:
    arabic = n % 5 == 0
    headline = (f"محادثات بين الصين وروسيا حول التجارة، الخبر {n}، النسخة {version}" if arabic
                else f"Item {n}: China and Russia hold trade talks, version {version}")
    body = ("عقدت بكين وموسكو محادثات حول التجارة والطاقة." if arabic
            else f"Beijing and Moscow held talks on trade and energy. Item {n}.")
    return {"uri": f"urn:chaos:{n}", "version": str(version),
            "pubStatus": "canceled" if killed else "usable", "language": "ar" if arabic else "en",
            "headlines": [{"value": headline}],
            "bodies": [{"contentType": "text/plain", "value": body}]}


class Agency:
    """One agency: registered through the admin API, then signing every document."""

    def __init__(self, client: httpx.AsyncClient, ingest_url: str, name: str, *,
                 make_doc: Callable[..., dict[str, object]] = wire_item) -> None:
        self.client, self.base, self.name = client, ingest_url, name
        self.make_doc = make_doc  # (number, version, killed=...) -> the ninjs document
        self.secret = ""

    async def register(self) -> None:
        r = await self.client.post(f"{self.base}/v1/admin/agencies", json={"name": self.name},
                                   headers={"Authorization": f"Bearer {DEV_ADMIN_TOKEN}"})
        if r.status_code != 201:
            raise AssertionError(f"registering {self.name}: {r.status_code} {r.text[:300]}")
        self.secret = r.json()["secret"]

    async def send(self, doc: dict[str, object], ledger: Ledger) -> dict[str, object] | None:
        """POST until a definite answer; the retries keep the first attempt's webhook-id."""
        body = json.dumps(doc, ensure_ascii=False)
        msg_id = "msg_" + secrets.token_hex(12)
        deadline = time.monotonic() + RETRY_FOR_S
        ledger.wire_sent += 1
        while time.monotonic() < deadline:
            headers = {"content-type": "application/json",
                       **sign_headers(self.secret, body, msg_id=msg_id)}
            try:
                r = await self.client.post(f"{self.base}/v1/wire/{self.name}",
                                           content=body.encode(), headers=headers)
            except _TRANSIENT:
                r = None
            if r is not None and r.status_code == 202:
                return dict(r.json())
            if r is not None and r.status_code < 500:
                ledger.wire_refused += 1
                ledger.note(f"wire {doc['uri']} v{doc['version']}: {r.status_code} {r.text[:200]}")
                return None
            ledger.wire_retries += 1
            await asyncio.sleep(0.5)
        return None


async def send_version(agency: Agency, item: Item, version: int, ledger: Ledger, *,
                       kill: bool = False) -> None:
    item.in_flight = True
    try:
        answer = await agency.send(agency.make_doc(item.number, version, killed=kill), ledger)
    finally:
        item.in_flight = False
    if answer is None:
        item.uncertain = True
        return
    result = answer["items"][0]  # type: ignore[index]
    item.article_id = str(result["article_id"])
    if result["outcome"] != "stale" and version > item.accepted_version:
        item.accepted_version, item.killed = version, kill


class WireLoad:
    """New items at ``rate`` per second; about one in five sends updates a live item and
    one in ten kills one (only items chosen up front, so nobody comments on them)."""

    def __init__(self, agency: Agency, ledger: Ledger, *, rate: float, seed: int = 8) -> None:
        self.agency, self.ledger, self.rate = agency, ledger, rate
        self.rng = random.Random(seed)
        self.tasks: set[asyncio.Task[None]] = set()
        self.next_number = 0

    def new_item(self) -> Item:
        n = self.next_number
        self.next_number += 1
        item = Item(uri=f"urn:chaos:{n}", number=n, will_be_killed=n % 10 == 3)
        self.ledger.items[item.uri] = item
        return item

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def step(self) -> None:
        settled = [i for i in self.ledger.items.values()
                   if i.accepted_version and not i.killed and not i.in_flight]
        roll = self.rng.random()
        if roll < 0.2 and settled:
            item = self.rng.choice(settled)
            self._spawn(send_version(self.agency, item, item.accepted_version + 1, self.ledger))
        elif roll < 0.3 and (doomed := [i for i in settled if i.will_be_killed]):
            item = self.rng.choice(doomed)
            self._spawn(send_version(self.agency, item, item.accepted_version + 1, self.ledger,
                                     kill=True))
        else:
            self._spawn(send_version(self.agency, self.new_item(), 1, self.ledger))

    async def run(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.step()
            await asyncio.sleep(1 / self.rate)

    async def drain(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)


class CommentLoad:
    """Readers commenting at ``rate`` per second on articles already live."""

    def __init__(self, client: httpx.AsyncClient, comments_url: str, ledger: Ledger,
                 live: Callable[[], list[str]], *, rate: float, seed: int = 9) -> None:
        self.client, self.base, self.ledger, self.live = client, comments_url, ledger, live
        self.rate = rate
        self.rng = random.Random(seed)
        self.tasks: set[asyncio.Task[None]] = set()
        self.count = 0

    async def post(self, article_id: str, body: str) -> None:
        ledger = self.ledger
        ledger.comments_sent += 1
        deadline = time.monotonic() + RETRY_FOR_S
        while time.monotonic() < deadline:
            try:
                r = await self.client.post(
                    f"{self.base}/v1/articles/{article_id}/comments",
                    json={"author": f"reader{self.rng.randrange(50)}", "body": body},
                    headers={"X-Requested-With": "wirestream"})
            except _TRANSIENT:
                r = None
            if r is not None and r.status_code == 201:
                c = r.json()
                ledger.comments.append(PostedComment(c["comment_id"], article_id, body,
                                                     c["status"]))
                return
            if r is not None and r.status_code == 404 and "article-not-open" in r.text:
                # The page is live but comments has not read its event yet: it lags.
                ledger.comment_deferred += 1
                await asyncio.sleep(0.5)
                continue
            if r is not None and r.status_code < 500 and r.status_code != 429:
                ledger.comment_refused += 1
                ledger.note(f"comment on {article_id}: {r.status_code} {r.text[:200]}")
                return
            ledger.comment_retries += 1
            await asyncio.sleep(0.5)

    async def run(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            candidates = self.live()
            if candidates:
                self.count += 1
                body = f"Comment {self.count} ({secrets.token_hex(4)}): a fair report."
                task = asyncio.create_task(self.post(self.rng.choice(candidates), body))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
            await asyncio.sleep(1 / self.rate)

    async def drain(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
