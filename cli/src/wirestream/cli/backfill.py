"""Backfill wire files through the running ingest's webhook, or straight into its database."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.outbox import Transaction
from wirestream.common.webhooks import sign_headers
from wirestream.ingest.api import REPLAYED_HEADER
from wirestream.ingest.formats import FormatError, parse_wire
from wirestream.ingest.models import Agency, inbox, outbox
from wirestream.ingest.service import accept_all

from .tally import Progress, Summary
from .wirefiles import WireFile

RETRIES = 5


def webhook_id(agency: str, wire: WireFile, body: bytes) -> str:
    """The same file imported twice gets the same id, so ingest answers it as a replay."""
    digest = hashlib.sha256(f"{agency}\0{wire.name}\0".encode() + body).hexdigest()
    return f"imp_{digest[:40]}"


def _reason(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    kind = str(problem.get("type", "")).rsplit("/", 1)[-1]
    text = f"{response.status_code} {kind}: {problem.get('detail') or problem.get('title')}"
    errors: list[dict[str, Any]] = problem.get("errors") or [{}]
    pointer = errors[0].get("pointer")
    return f"{text} (at {pointer})" if pointer else text


async def send_file(client: httpx.AsyncClient, agency: str, secret: str,
                    wire: WireFile) -> list[str] | str:
    """Post one file; its items' outcomes, or the reason it was refused."""
    try:
        body = wire.read()
        text = body.decode("utf-8")
    except ValueError as exc:  # too large, or not UTF-8 (Standard Webhooks signs text)
        return f"not sent: {exc}"
    msg_id = webhook_id(agency, wire, body)
    for attempt in range(RETRIES):
        headers = {"content-type": wire.content_type, **sign_headers(secret, text, msg_id=msg_id)}
        try:
            response = await client.post(f"/v1/wire/{agency}", content=body, headers=headers)
        except httpx.TransportError as exc:
            if attempt == RETRIES - 1:
                return f"not delivered: {type(exc).__name__}: {exc}"
            await asyncio.sleep(2 ** attempt * 0.2)
            continue
        if response.status_code == 202:
            items = response.json().get("items", [])
            if response.headers.get(REPLAYED_HEADER):
                return ["replayed"] * max(len(items), 1)
            return [item["outcome"] for item in items]
        if response.status_code not in (429, 503) or attempt == RETRIES - 1:
            return _reason(response)
        retry_after = response.headers.get("retry-after", "1")
        await asyncio.sleep(min(float(retry_after) if retry_after.isdigit() else 1.0, 10.0))
    raise AssertionError("unreachable")


async def through_webhook(client: httpx.AsyncClient, files: list[WireFile],
                          secrets: Mapping[str, str], *, concurrency: int,
                          progress: Progress) -> Summary:
    """Send every file, ``concurrency`` at a time, signed with its agency's secret."""
    summary = progress.summary
    limit = asyncio.Semaphore(concurrency)

    async def one(wire: WireFile) -> None:
        async with limit:
            result = await send_file(client, wire.agency or "", secrets[wire.agency or ""], wire)
        if isinstance(result, str):
            summary.refuse(wire.name, result)
        else:
            summary.add(result)
        progress.update()

    await asyncio.gather(*(one(wire) for wire in files))
    return summary


async def into_database(session_factory: Any, files: list[WireFile],
                        agencies: Mapping[str, Agency], *, max_bytes: int,
                        progress: Progress) -> Summary:
    """Accept every file in its own transaction, as the webhook would, without HTTP.

    Events go to ingest's outbox; a running ingest relays them to the stream.
    """
    summary = progress.summary
    for wire in files:
        try:
            agency = agencies[wire.agency or ""]
            articles = parse_wire(wire.read(), wire.content_type, agency=agency.name,
                                  default_language=agency.default_language,
                                  max_bytes=max_bytes)
            async with session_factory() as session, session.begin():
                results = await accept_all(_transaction(session), articles,
                                           now=datetime.now(UTC))
            summary.add([r.outcome for r in results])
        except FormatError as exc:
            pointer = f" (at {exc.pointer})" if exc.pointer else ""
            summary.refuse(wire.name, f"{exc.status} {exc.type}: {exc.detail}{pointer}")
        except ValueError as exc:
            summary.refuse(wire.name, f"not read: {exc}")
        progress.update()
    return summary


def _transaction(session: AsyncSession) -> Transaction:
    return Transaction(session=session, outbox=outbox, inbox=inbox)
