"""``wirestream ingest import PATH``: backfill wire files, with progress and a summary."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from wirestream.ingest.models import Agency
from wirestream.ingest.settings import IngestSettings

from .admin import ingest_database
from .backfill import into_database, through_webhook
from .tally import Progress, Summary
from .wirefiles import WireFile, wire_files

NO_AGENCY = "no agency: give --agency, or put the file in a directory named after its agency"


def run(args: Any) -> int:
    max_bytes = IngestSettings().max_body_bytes
    try:
        files = wire_files(Path(args.path), agency=args.agency, max_bytes=max_bytes)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    return asyncio.run(_import(args, files, max_bytes))


async def _import(args: Any, files: list[WireFile], max_bytes: int) -> int:
    summary = Summary()
    progress = Progress(len(files), summary)
    for wire in files:
        if not wire.agency:
            summary.refuse(wire.name, NO_AGENCY)
    files = [wire for wire in files if wire.agency]
    names = sorted({wire.agency for wire in files if wire.agency})
    if args.secret and not args.direct:
        await _send(args, files, dict.fromkeys(names, args.secret), progress)
    else:
        async with ingest_database() as sessions:
            async with sessions() as session:
                found = {a.name: a for a in await session.scalars(
                    sa.select(Agency).where(Agency.name.in_(names)))}
            unusable = [n for n in names if n not in found or found[n].disabled]
            if unusable:
                print(f"unknown or disabled agencies: {', '.join(unusable)} "
                      "(see: wirestream agency list)", file=sys.stderr)
                return 2
            if args.direct:
                await into_database(sessions, files, found, max_bytes=max_bytes,
                                    progress=progress)
            else:
                await _send(args, files, {n: a.secrets[0] for n, a in found.items()}, progress)
    progress.close()
    print(summary.report())
    if args.direct and summary.accepted:
        print("events are in ingest's outbox: a running ingest relays them to the stream")
    return 1 if summary.refused else 0


async def _send(args: Any, files: list[WireFile], secrets: dict[str, str],
                progress: Progress) -> None:
    async with httpx.AsyncClient(base_url=args.url.rstrip("/"), timeout=60) as client:
        await through_webhook(client, files, secrets, concurrency=max(1, args.concurrency),
                              progress=progress)
