"""Agency, dead-letter and migration commands, working on the services' own stores."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wirestream.common.deadletters import list_dead_letters, replay
from wirestream.common.migrations import migrated_sessions, upgrade
from wirestream.common.webhooks import sign_headers
from wirestream.ingest import agencies
from wirestream.ingest.main import MIGRATIONS as INGEST_MIGRATIONS
from wirestream.ingest.models import Agency
from wirestream.ingest.settings import IngestSettings

from .wirefiles import content_type_for

SERVICES = ("ingest", "enrich", "publish", "comments")


def ingest_database() -> AbstractAsyncContextManager[async_sessionmaker[AsyncSession]]:
    """Sessions on ingest's database (``WIRESTREAM_DATABASE_URL``), migrated to head."""
    return migrated_sessions(IngestSettings().resolved_database_url(), INGEST_MIGRATIONS)


async def _with_ingest_session(fn: Any) -> Any:
    async with ingest_database() as sessions, sessions() as session, session.begin():
        return await fn(session)


def _describe(a: Agency) -> str:
    state = "disabled" if a.disabled else "active"
    line = (f"{a.name}\t{state}\tsecrets={len(a.secrets)}\t"
            f"lang={a.default_language or '-'}\tpriority={a.priority}")
    if a.feed_url:
        line += f"\tfeed={a.feed_url} every {a.poll_interval_s or 'default '}s"
    if a.feed_error:
        line += f"\tfeed failing: {a.feed_error}"
    return line


def agency(args: Any) -> int:
    now = datetime.now(UTC)
    changes = agencies.AgencyChanges()
    if args.agency_cmd == "set":
        try:
            changes = _changes(args)
        except ValidationError as exc:
            for error in exc.errors():
                option = _OPTIONS.get(str(error["loc"][0]), str(error["loc"][0]))
                print(f"{option}: {error['msg']}", file=sys.stderr)
            return 2

    async def go(session: Any) -> int:
        if args.agency_cmd == "add":
            try:
                a = await agencies.create_agency(session, args.name, now=now,
                                                 default_language=args.language,
                                                 priority=args.priority)
            except agencies.AgencyExists:
                print(f"agency {args.name!r} already exists", file=sys.stderr)
                return 1
            print(f"agency {a.name} created\nsecret: {a.secrets[0]}")
        elif args.agency_cmd == "list":
            for a in await agencies.list_agencies(session):
                print(_describe(a))
        elif args.agency_cmd == "rotate":
            print(f"new secret: {await agencies.rotate_secret(session, args.name)}")
            print("the previous secret stays valid until the next rotation")
        elif args.agency_cmd == "disable":
            await agencies.set_disabled(session, args.name, True)
            print(f"agency {args.name} disabled")
        elif args.agency_cmd == "set":
            print(_describe(await agencies.update_agency(session, args.name, changes)))
        return 0

    try:
        return int(asyncio.run(_with_ingest_session(go)))
    except KeyError:
        print(f"no agency {args.name!r}", file=sys.stderr)
        return 1


# AgencyChanges field -> the `agency set` option that sets it
_OPTIONS = {"default_language": "--language", "priority": "--priority",
            "feed_url": "--feed-url", "poll_interval_s": "--poll-interval",
            "enable": "--enable/--disable"}


def _changes(args: Any) -> agencies.AgencyChanges:
    """The settings ``agency set`` was given; ``none`` clears a value."""
    given: dict[str, Any] = {}
    for field, option in _OPTIONS.items():
        value = getattr(args, option.removeprefix("--").split("/")[0].replace("-", "_"))
        if value is not None:
            given[field] = None if value == "none" else value
    return agencies.AgencyChanges.model_validate(given)


def send(args: Any) -> int:
    path = Path(args.file)
    body = path.read_bytes()
    secret = args.secret
    if not secret:
        async def get(session: Any) -> str | None:
            a = await session.get(Agency, args.agency)
            return a.secrets[0] if a else None

        secret = asyncio.run(_with_ingest_session(get))
        if not secret:
            print(f"unknown agency {args.agency!r}; run: wirestream agency add {args.agency}",
                  file=sys.stderr)
            return 1
    content_type = args.content_type or content_type_for(path.name)
    headers = {"content-type": content_type,
               **sign_headers(secret, body.decode("utf-8", errors="replace"))}
    response = httpx.post(f"{args.url.rstrip('/')}/v1/wire/{args.agency}", content=body,
                          headers=headers, timeout=30)
    print(response.status_code, json.dumps(response.json(), ensure_ascii=False, indent=2))
    return 0 if response.status_code < 400 else 1


def deadletter(args: Any) -> int:
    import os

    url = os.environ.get("WIRESTREAM_REDIS_URL") or args.redis_url
    dev_file = Path(os.environ.get("WIRESTREAM_DATA_DIR", ".wirestream")) / "redis-url"
    if not url and dev_file.exists():
        url = dev_file.read_text().strip()
    if not url:
        print("set WIRESTREAM_REDIS_URL (or --redis-url)", file=sys.stderr)
        return 1

    async def go() -> int:
        redis = Redis.from_url(url)
        try:
            if args.dl_cmd == "list":
                for d in await list_dead_letters(redis, count=args.count):
                    print(f"{d.id}\t{d.stream}\t{d.group}\t{d.reason}\t"
                          f"deliveries={d.deliveries}\t{d.error[:120]}")
            else:
                ids = None if args.all else args.ids
                if not ids and not args.all:
                    print("give dead-letter ids or --all", file=sys.stderr)
                    return 1
                done = await replay(redis, ids)
                print(f"replayed {len(done)} dead letter(s)")
        finally:
            await redis.aclose()
        return 0

    return asyncio.run(go())


def migrate(args: Any) -> int:
    for service in args.service or SERVICES:
        settings_mod = importlib.import_module(f"wirestream.{service}.settings")
        cls = next(v for k, v in vars(settings_mod).items() if k.endswith("Settings")
                   and k != "ServiceSettings")
        main_mod = importlib.import_module(f"wirestream.{service}.main")
        url = cls().resolved_database_url()
        upgrade(url, main_mod.MIGRATIONS)
        print(f"{service}: migrated {url.split('@')[-1]}")
    return 0
