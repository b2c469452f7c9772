"""One scenario end to end: platform up, load on, fault in, fault out, reconcile."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis

from wirestream.cli.dev import SERVICES
from wirestream.common.streams import DEAD_LETTERS

from .ledger import Ledger
from .load import Agency, CommentLoad, WireLoad, send_version
from .receivers import Receiver
from .reconcile import Findings, reconcile
from .report import RESULTS, ScenarioResult
from .scenarios import Run, Scenario, Timings
from .stack import Stack
from .subscribers import Subscriber, disabled, subscribe
from .tail import PublishedTail


async def _probe(wire: WireLoad, client: httpx.AsyncClient, site: str,
                 limit: float) -> float | None:
    """Seconds until an item sent now is live on the site (None: not within ``limit``)."""
    started = time.monotonic()
    item = wire.new_item()
    item.will_be_killed = False  # the load must not kill the probe before it is seen
    await send_version(wire.agency, item, 1, wire.ledger)
    while time.monotonic() - started < limit:
        if item.article_id:
            with contextlib.suppress(httpx.TransportError):
                r = await client.get(f"{site}/api/articles/{item.article_id}")
                if r.status_code == 200:
                    return time.monotonic() - started
        await asyncio.sleep(0.25)
    return None


async def _dead_letters(redis_url: str, poison: dict[str, list[str]]) -> tuple[int, int, int]:
    """(unexpected, missing, total): poison entries must be dead-lettered once per group."""
    client: Any = aioredis.Redis.from_url(redis_url)
    try:
        letters = {(f[b"stream"].decode(), f[b"message_id"].decode(), f[b"group"].decode())
                   for _, f in await client.xrange(DEAD_LETTERS)}
        expected = set()
        for stream, ids in poison.items():
            groups = [g["name"].decode() for g in await client.xinfo_groups(stream)]
            expected |= {(stream, i, g) for i in ids for g in groups}
    finally:
        await client.aclose()
    return len(letters - expected), len(expected - letters), len(letters)


def _healer(receiver: Receiver) -> Callable[[], None]:
    def heal() -> None:
        receiver.heal_at = 0.0

    return heal


def _observed(ledger: Ledger) -> str:
    seen = {"webhook retries (5xx or no answer)": ledger.wire_retries,
            "comment retries": ledger.comment_retries,
            "comments deferred (404 while comments lagged)": ledger.comment_deferred}
    return ", ".join(f"{k}: {v}" for k, v in seen.items() if v)


def _deliveries(found: Findings, subs: list[Subscriber]) -> str:
    if not subs:
        return "n/a"
    missing = sum(found.deliveries_missing.values())
    dup = sum(found.deliveries_duplicated.values())
    return f"{missing} / {dup} of {found.events_expected}"


async def run_scenario(scenario: Scenario, root: Path, t: Timings) -> ScenarioResult:
    use_pg = scenario.postgres or os.environ.get("WIRESTREAM_CHAOS_DB") == "postgresql"
    stack = Stack(root, postgres=use_pg)
    subs: list[Subscriber] = []
    tail_task: asyncio.Task[None] | None = None
    try:
        await stack.up()
        site, comments = stack.url("publish"), stack.url("comments")
        async with httpx.AsyncClient(timeout=10) as client:
            agency = Agency(client, stack.url("ingest"), "chaoswire")
            await agency.register()
            subs = await subscribe(client, site, list(scenario.receivers)) or []
            run = Run(stack=stack, timings=t)
            for s in subs:
                if s.receiver.behaviour == "fail500":
                    run.heal = _healer(s.receiver)
            tail = PublishedTail(stack.redis.url)
            tail_task = asyncio.create_task(tail.run())
            ledger = Ledger()
            wire = WireLoad(agency, ledger, rate=t.rate)

            def commentable() -> list[str]:
                ok = {i.article_id for i in ledger.items.values() if not i.will_be_killed}
                return [a for a in tail.live_article_ids() if a in ok]

            readers = CommentLoad(client, comments, ledger, commentable, rate=t.comment_rate)
            load = asyncio.gather(wire.run(t.load_s), readers.run(t.load_s))
            await asyncio.sleep(t.fault_at_s)
            await scenario.inject(run)
            recover_s = await _probe(wire, client, site, t.settle_s)
            await load
            await wire.drain()
            await readers.drain()
            if tail_task.done():  # the reader of the published stream must not have died
                tail_task.result()
            load_end = time.monotonic()
            found = await reconcile(client, site=site, comments=comments, ledger=ledger,
                                    tail=tail, subscribers=subs)
            while not found.clean and time.monotonic() - load_end < t.settle_s:
                await asyncio.sleep(2)
                found = await reconcile(client, site=site, comments=comments, ledger=ledger,
                                        tail=tail, subscribers=subs)
            settle_s = time.monotonic() - load_end if found.clean else None
            unexpected, missing, total = await _dead_letters(stack.redis.url, run.poison)
            notes = [*found.lost[:3], *found.duplicated[:3], *found.comments_lost[:3],
                     *found.comments_duplicated[:3], *ledger.errors[:3]]
            if missing:
                notes.append(f"{missing} poison entries not dead-lettered")
            for service in SERVICES:  # every subscriber running again (/health)
                if not await asyncio.to_thread(stack.healthy, service):
                    notes.append(f"{service} /health is not ok")
            for s in subs:
                if s.receiver.behaviour == "gone410" and not await disabled(client, site, s):
                    notes.append("the 410 subscriber was not disabled")
            approved = [c for c in ledger.comments if c.status == "approved"]
            return ScenarioResult(
                scenario=scenario.name,
                variant="full" if t.load_s > 100 else "quick",
                database="postgresql" if use_pg else "sqlite",
                sent=ledger.wire_sent, accepted=len(ledger.accepted),
                published=found.published, lost=len(found.lost),
                duplicated=len(found.duplicated) + len(found.comments_duplicated),
                comments=f"{found.comments_shown} / {len(approved)}",
                deliveries=_deliveries(found, subs),
                dead_letters=f"{unexpected} / {total}",
                recover_s=recover_s, settle_s=settle_s, notes="; ".join(notes),
                observed=_observed(ledger))
    finally:
        if tail_task:
            tail_task.cancel()
        for s in subs:
            s.receiver.stop()
        await stack.down()
        _keep_logs(stack, scenario.name)


def _keep_logs(stack: Stack, name: str) -> None:
    """Copy the services' logs next to the results, for the post-mortem."""
    target = RESULTS.parent / "chaos-logs" / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for log in (stack.root / "data").glob("*.log"):
        shutil.copy(log, target / log.name)
