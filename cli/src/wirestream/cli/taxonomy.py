"""``wirestream taxonomy add|list|import|export``: the tagging taxonomy in enrich's database.

Works on the database directly, as ``wirestream agency`` does for ingest
(``WIRESTREAM_DATABASE_URL`` or ``--database-url``; by default the dev
SQLite file). Every change bumps the taxonomy version, so running enrichers
reload within ``WIRESTREAM_TAXONOMY_CHECK_S``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.db import create_engine, session_factory
from wirestream.common.migrations import upgrade
from wirestream.enrich import taxonomy_store as store
from wirestream.enrich.main import MIGRATIONS
from wirestream.enrich.settings import EnrichSettings
from wirestream.enrich.text.taxonomy import KINDS, Concept, ConceptKind, to_csv

T = TypeVar("T")


def add_parser(sub: Any) -> None:
    """The ``taxonomy`` command group, added to the main parser's subcommands."""
    t = sub.add_parser("taxonomy", help="manage enrich's tagging taxonomy")
    t.add_argument("--database-url", default=None, help="default: enrich's configured database")
    tsub = t.add_subparsers(dest="taxonomy_cmd", required=True)
    add = tsub.add_parser("add", help="add a concept, or replace the one with that id")
    add.add_argument("id", help="e.g. person:ahmed-al-sharaa, org:opec, place:aleppo")
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--label", action="append", required=True, metavar="LANG=NAME")
    add.add_argument("--alias", action="append", default=[], metavar="LANG=NAME")
    add.add_argument("--iptc-uri", default=None)
    ls = tsub.add_parser("list", help="list concepts")
    ls.add_argument("--kind", choices=KINDS)
    ls.add_argument("--search", default=None, help="text in the id or a label")
    imp = tsub.add_parser("import", help="import CSV or IPTC Media Topics SKOS JSON-LD")
    imp.add_argument("file")
    imp.add_argument("--format", choices=("csv", "jsonld"), default=None,
                     help="default: from the file extension")
    imp.add_argument("--replace", action="store_true",
                     help="replace existing concepts instead of merging labels and aliases")
    exp = tsub.add_parser("export", help="export every concept as CSV")
    exp.add_argument("file", nargs="?", default="-", help="default: standard output")


def _pairs(values: list[str], flag: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        lang, sep, name = value.partition("=")
        if not sep or not lang.strip() or not name.strip():
            raise SystemExit(f"{flag} takes LANG=NAME, got {value!r}")
        out.setdefault(lang.strip().lower(), []).append(name.strip())
    return out


async def _with_session(url: str | None, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    url = url or EnrichSettings().resolved_database_url()
    await asyncio.to_thread(upgrade, url, MIGRATIONS)
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            # Same rule as the service: an empty taxonomy starts as the starter set.
            await store.seed_if_empty(session, now=datetime.now(UTC))
            return await fn(session)
    finally:
        await engine.dispose()


def run(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    cmd = args.taxonomy_cmd
    path = Path(getattr(args, "file", "-"))
    text = path.read_text("utf-8") if cmd == "import" else ""
    exported: list[str] = []

    async def go(session: AsyncSession) -> int:
        if cmd == "add":
            labels = {k: v[-1] for k, v in _pairs(args.label, "--label").items()}
            concept = Concept(id=args.id, kind=cast(ConceptKind, args.kind), labels=labels,
                              aliases=_pairs(args.alias, "--alias"), iptc_uri=args.iptc_uri)
            await store.upsert_concepts(session, [concept], now=now)
            print(f"concept {concept.id} saved")
        elif cmd == "list":
            for c in await store.list_concepts(session, kind=args.kind, search=args.search):
                names = "; ".join(f"{k}={v}" for k, v in sorted(c.labels.items()))
                print(f"{c.id}\t{c.kind}\t{names}")
        elif cmd == "import":
            fmt = args.format or ("csv" if path.suffix.lower() == ".csv" else "jsonld")
            try:
                concepts = store.parse_import(text, fmt)
            except (ValueError, KeyError, TypeError) as exc:
                print(f"cannot read {path}: {exc}", file=sys.stderr)
                return 1
            n = await store.upsert_concepts(session, concepts, now=now, merge=not args.replace)
            print(f"imported {n} concept(s) from {path} ({fmt})")
        elif cmd == "export":
            exported.append(to_csv(await store.list_concepts(session)))
        return 0

    code = asyncio.run(_with_session(args.database_url, go))
    if exported and args.file == "-":
        sys.stdout.write(exported[0])
    elif exported:
        path.write_text(exported[0], "utf-8")
        print(f"exported to {path}", file=sys.stderr)
    return code
