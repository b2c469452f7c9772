"""Helpers for ``bench/publish.py``: rendering throughput, and page serving vs a minimal app."""

from __future__ import annotations

import asyncio
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from wirestream.common.db import create_engine, session_factory
from wirestream.common.events import Article, ArticleEnriched, Tag
from wirestream.common.migrations import upgrade
from wirestream.common.outbox import Transaction
from wirestream.common.serve import has_uvloop
from wirestream.publish import dirty
from wirestream.publish.builder import PageBuilder
from wirestream.publish.keys import Key, article
from wirestream.publish.main import MIGRATIONS
from wirestream.publish.models import PublishedArticle, inbox, outbox
from wirestream.publish.render import Renderer, SiteConfig
from wirestream.publish.service import handle_events
from wirestream.publish.site import Site

WORDS = ("talks markets energy rates election storm summit trade court ministers growth "
         "ceasefire vaccine budget protest satellite drought exports").split()
PARAGRAPH = ("<p>Officials said on Tuesday that negotiations would continue into the week, "
             "with both delegations describing the discussions as constructive.</p>")
TAGS = [Tag(kind="topic", id=f"medtop:{n:08d}", labels={"en": f"Topic {n}", "ar": f"موضوع {n}"})
        for n in range(40)]
SECTIONS = ("world", "politics", "business", "technology", "science", "sport", "culture")


def enriched(n: int, rng: random.Random) -> ArticleEnriched:
    headline = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
    a = Article(article_id=f"b{n:06d}{rng.randrange(1 << 30):08x}", agency="bench",
                uri=f"urn:bench:{n}", language="en", headline=headline,
                summary="A one-sentence summary of what happened.", section=rng.choice(SECTIONS),
                body_html=PARAGRAPH * 12, info_sources=("RT", "Xinhua")[: 1 + n % 2])
    return ArticleEnriched(article=a, language="en", tags=tuple(rng.sample(TAGS, 4)),
                           story_id=f"story{n // 4}")


async def render_rate(database_url: str, n: int) -> dict[str, float]:
    """Events handled/s, then article pages/s and list pages/s rendered and stored by
    the page builder, from ``n`` articles."""
    await asyncio.to_thread(upgrade, database_url, MIGRATIONS)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    config = SiteConfig("Wirestream", "https://news.example")
    site = Site(Renderer(config), config, "https://comments.example")
    rng = random.Random(7)
    events = [enriched(i, rng) for i in range(n)]
    started = time.perf_counter()
    for i in range(0, n, 100):
        async with sessions() as session, session.begin():
            # Deferred and flushed, as the service's unit of work (OutboxRelay.transaction) is.
            tx = Transaction(session=session, outbox=outbox, inbox=inbox, deferred=True)
            await handle_events(tx, list(events[i:i + 100]), site=site, now=datetime.now(UTC))
            await tx.flush()
    ingest_s = time.perf_counter() - started
    builder = PageBuilder(sessions=sessions, site=site, batch=200)
    while await builder.build_once():  # the lists the seeding marked
        pass
    out = {"handled articles/s (batches of 100)": n / ingest_s}
    async with sessions() as session:
        ids = (await session.scalars(sa.select(PublishedArticle.article_id))).all()
        lists = (await session.scalars(sa.select(dirty.T.c.key)
                                       .where(~dirty.T.c.key.startswith("article:")))).all()
    for label, keys in (("article pages/s", [article(i) for i in ids]),
                        ("list pages/s", [Key.parse(k) for k in lists])):
        async with sessions() as session, session.begin():
            await dirty.mark(session, keys, now=datetime.now(UTC))
        before, started = builder.pages, time.perf_counter()
        while await builder.build_once():
            pass
        out[label] = (builder.pages - before) / (time.perf_counter() - started)
    await engine.dispose()
    return out


def static_app(body: bytes):  # type: ignore[no-untyped-def]
    """The least any server can do: the same page bytes from memory."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def page(_request: object) -> Response:
        return Response(body, media_type="text/html; charset=utf-8")

    return Starlette(routes=[Route("/{language}/articles/{article_id}", page)])


def serve_static(port: int, path: str) -> None:
    import uvicorn

    uvicorn.run(static_app(Path(path).read_bytes()), host="127.0.0.1", port=port,
                log_level="warning", access_log=False,
                loop="uvloop" if has_uvloop() else "asyncio")




async def hammer(host: str, port: int, path: str, *, connections: int,
                 seconds: float) -> float:
    """Requests/s over ``connections`` keep-alive HTTP/1.1 connections (one request in
    flight on each), for ``seconds``."""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n\r\n".encode()
    done = 0
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(head[:200].decode(errors="replace"))
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            done += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return done / (time.perf_counter() - started)


def self_command(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("publish.py")), *args]
