"""Reconciliation from the outside: what the site, the comments API and the subscribers
show, against what the ledger says was accepted."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import httpx

from .ledger import Item, Ledger
from .subscribers import Subscriber
from .tail import PublishedTail


@dataclass
class Findings:
    published: int = 0  # accepted items the site shows as expected (latest version, or 410)
    lost: list[str] = field(default_factory=list)  # accepted items it does not
    duplicated: list[str] = field(default_factory=list)
    comments_shown: int = 0
    comments_lost: list[str] = field(default_factory=list)
    comments_duplicated: list[str] = field(default_factory=list)
    events_expected: int = 0
    deliveries_missing: dict[str, int] = field(default_factory=dict)  # per receiver
    deliveries_duplicated: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.comments_lost
                    or self.comments_duplicated or any(self.deliveries_missing.values())
                    or any(self.deliveries_duplicated.values()))


async def _get(client: httpx.AsyncClient, url: str, **kw: object) -> httpx.Response:
    """GET, retried when a kept-alive connection was closed under us (the server's idle
    timeout racing our next request), or the service is restarting."""
    for attempt in range(5):
        try:
            return await client.get(url, **kw)  # type: ignore[arg-type]
        except httpx.TransportError:
            if attempt == 4:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


async def _article(client: httpx.AsyncClient, site: str, item: Item) -> str | None:
    """None when the site shows ``item`` as the ledger expects, else what it shows."""
    r = await _get(client, f"{site}/api/articles/{item.article_id}")
    if item.killed:
        return None if r.status_code == 410 else f"{item.article_id}: {r.status_code}, not 410"
    if r.status_code != 200:
        return f"{item.article_id}: {r.status_code}"
    version = r.json()["version"]
    if version != item.accepted_version:
        return f"{item.article_id}: version {version}, expected {item.accepted_version}"
    return None


async def _comment_ids(client: httpx.AsyncClient, comments: str, article_id: str) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "200", "sort": "oldest", **({"cursor": cursor} if cursor else {})}
        r = await _get(client, f"{comments}/v1/articles/{article_id}/comments", params=params)
        r.raise_for_status()
        page = r.json()
        ids += [c["comment_id"] for c in page["comments"]]
        cursor = page.get("next_cursor")
        if not cursor:
            return ids


async def _page(client: httpx.AsyncClient, site: str, article_id: str) -> str:
    r = await _get(client, f"{site}/api/articles/{article_id}")
    if r.status_code != 200:
        return ""
    return (await _get(client, site + r.json()["url"])).text


async def reconcile(client: httpx.AsyncClient, *, site: str, comments: str, ledger: Ledger,
                    tail: PublishedTail, subscribers: list[Subscriber]) -> Findings:
    found = Findings()
    gate = asyncio.Semaphore(16)

    async def check(item: Item) -> str | None:
        async with gate:
            return await _article(client, site, item)

    accepted = ledger.accepted
    answers = await asyncio.gather(*(check(i) for i in accepted))
    for item, wrong in zip(accepted, answers, strict=True):
        if wrong is None:
            found.published += 1
        elif not item.uncertain:
            found.lost.append(wrong)
    found.duplicated = [f"{a} v{v} published twice" for a, v in tail.published_twice()]

    approved = [c for c in ledger.comments if c.status == "approved"]
    by_article = {c.article_id for c in approved}
    listed: Counter[str] = Counter()
    pages: dict[str, str] = {}
    for article_id in by_article:
        async with gate:
            listed.update(await _comment_ids(client, comments, article_id))
            pages[article_id] = await _page(client, site, article_id)
    for c in approved:
        on_page = pages[c.article_id].count(c.body)
        if listed[c.comment_id] == 0 or on_page == 0:
            found.comments_lost.append(f"{c.comment_id}: listed {listed[c.comment_id]}, "
                                       f"on page {on_page}")
        elif listed[c.comment_id] > 1 or on_page > 1:
            found.comments_duplicated.append(f"{c.comment_id}: listed {listed[c.comment_id]}, "
                                             f"on page {on_page}")
        else:
            found.comments_shown += 1

    expected = set(tail.events)
    # Push does not announce an article killed before its "published" webhook went out
    # (it waits for the article's tags): such events may be missing, the kill may not.
    killed = {e["article_id"] for e in tail.events.values()
              if e["event_type"] == "article.unpublished"}
    expected -= {i for i, e in tail.events.items()
                 if e["event_type"] == "article.published" and e["article_id"] in killed}
    found.events_expected = len(expected)
    for sub in subscribers:
        name = sub.receiver.behaviour
        if name not in ("ok", "fail500"):
            continue
        by_event = sub.receiver.webhook_ids_by_event()
        found.deliveries_missing[name] = len(expected - set(by_event))
        found.deliveries_duplicated[name] = sum(1 for ids in by_event.values() if len(ids) > 1)
    return found
