"""Posting comments in batches: one transaction, a handful of queries, for many comments.

:class:`~.writer.CommentWriter` hands :func:`post_batch` the comments that
arrived while the previous batch was committing. The batch reads what
moderation needs for all of them at once (their articles, parents, readers with
their approved counts, and recent bodies: four queries however many comments), then
moderates each in arrival order, counting the earlier comments of the same
batch as the author's recent ones, and writes every row with one INSERT per
table plus one outbox INSERT. All reads come before the first write, so the
write lock is held only for the inserts and the commit.

The external scorer is asked before a comment joins a batch
(:func:`pre_score`), so no batch and no write lock ever waits for a third party.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from wirestream.common.events import CommentPosted, new_id
from wirestream.common.outbox import Transaction
from wirestream.common.streams import COMMENTS

from . import readers
from .articles import premoderated
from .errors import ArticleNotOpen, CommentsError, Invalid, Unauthenticated
from .identity import Identity
from .models import Comment, KnownArticle, Reader
from .moderation import CommentCandidate, ModerationStatus, Outcome, ReaderStatus, moderate
from .moderation.scorer import ScorerUnavailable, guess_language
from .moderation.steps import check_length, check_words
from .service import CommentRules, Posted

__all__ = ["Draft", "Scored", "post_batch", "pre_score"]

_VISIBLE_TO_REPEATS = (ModerationStatus.APPROVED, ModerationStatus.PENDING)


@dataclass(frozen=True)
class Scored:
    """The external scorer's answer, obtained before the comment joined a batch; it
    stands in for the scorer when the batch moderates the comment."""

    threshold: float
    value: float | None  # None: the scorer was unavailable
    error: str = ""

    async def score(self, text: str, *, language: str) -> float:
        if self.value is None:
            raise ScorerUnavailable(self.error)
        return self.value


@dataclass(frozen=True)
class Draft:
    """A comment as the reader sent it, waiting for its batch."""

    article_id: str
    identity: Identity
    body: str
    parent_id: str | None
    ip: str
    now: datetime
    scored: Scored | None = None


async def pre_score(sessions: async_sessionmaker[AsyncSession], rules: CommentRules, *,
                    article_id: str, body: str) -> Scored | None:
    """Ask the external scorer, if there is one and the text passes the text checks
    (refused text is not sent to a third party for nothing)."""
    scorer = rules.scorer
    if scorer is None:
        return None
    probe = CommentCandidate(body=body, author_id="", ip="", article_id=article_id)
    if any(step(probe, rules.moderation).outcome is Outcome.REJECT
           for step in (check_length, check_words)):
        return None
    async with sessions() as session:
        language = await session.scalar(
            sa.select(KnownArticle.language).where(KnownArticle.article_id == article_id))
    try:
        value: float | None = await scorer.score(body, language=language
                                                 or guess_language(body))
        error = ""
    except ScorerUnavailable as exc:
        value, error = None, str(exc)
    return Scored(scorer.threshold, value, error)


async def post_batch(tx: Transaction, drafts: list[Draft], *,
                     rules: CommentRules) -> list[Posted | CommentsError]:
    """Moderate and store ``drafts`` in ``tx``; for each, what was posted or why not.

    Core statements on the session's connection and plain rows throughout: nothing
    here needs the ORM's identity map, and loading and flushing through it cost a good
    part of a small batch's CPU."""
    conn = await tx.session.connection()
    ids = {d.identity.reader_id for d in drafts}
    since = min(d.now for d in drafts)
    articles = await _articles(conn, {d.article_id for d in drafts})
    parents = await _parents(conn, {d.parent_id for d in drafts if d.parent_id})
    known = await readers.known_readers(conn, ids, cap=rules.moderation.new_reader_threshold)
    approved = {rid: int(row.approved) for rid, row in known.items()}
    recent = await readers.recent_bodies_of(conn, ids, now=since, limit=rules.recent_bodies)

    answers: list[Posted | CommentsError] = []
    new_readers: dict[str, dict[str, Any]] = {}
    renamed: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    events: list[CommentPosted] = []
    for d in drafts:
        rid = d.identity.reader_id
        try:
            article = _check(d, articles.get(d.article_id), parents, known)
        except CommentsError as exc:
            answers.append(exc)
            continue
        reader = known.get(rid)
        result = await moderate(CommentCandidate(
            body=d.body, author_id=rid, ip=d.ip, article_id=d.article_id,
            reader_approved_count=approved.get(rid, 0),
            reader_status=readers.status_of(reader, now=d.now) if reader
            else ReaderStatus.ACTIVE,
            article_comments_closed=article.closed,
            premoderation=premoderated(article, default=rules.premoderation),
            recent_bodies_by_author=recent.get(rid, ())[: rules.recent_bodies],
            language=article.language,
        ), config=rules.moderation, scorer=d.scored)
        author = _author(d.identity, reader, new_readers, renamed, now=d.now)
        row = {"comment_id": new_id(), "article_id": d.article_id, "parent_id": d.parent_id,
               "author_id": rid, "author": author, "body": d.body,
               "status": result.status.value, "reason": result.reason, "created_at": d.now,
               "featured": False, "reactions_total": 0, "reports_open": 0, "edited_at": None}
        rows.append(row)
        events.append(CommentPosted(
            comment_id=row["comment_id"], article_id=d.article_id, author=author,
            body=d.body, status=row["status"], parent_id=d.parent_id, posted_at=d.now))
        if result.status in _VISIBLE_TO_REPEATS:  # the next comment in the batch sees it
            recent[rid] = [d.body, *recent.get(rid, ())]
        if result.status is ModerationStatus.APPROVED:
            approved[rid] = approved.get(rid, 0) + 1
        answers.append(Posted(Comment(**row), result, article.language))

    if new_readers:
        await conn.execute(_insert(conn, Reader).on_conflict_do_nothing(),
                           list(new_readers.values()))
    if renamed:
        await conn.execute(_RENAME, [{"rid": rid, "name": name}
                                     for rid, name in renamed.items()])
    if rows:
        await conn.execute(_INSERT_COMMENTS, rows)
        await tx.emit_many(COMMENTS, events)
    return answers


_INSERT_COMMENTS = sa.insert(Comment).execution_options(synchronize_session=False)
_RENAME = (sa.update(Reader).where(Reader.reader_id == sa.bindparam("rid"))
           .values(display_name=sa.bindparam("name")))


def _check(d: Draft, article: sa.Row[Any] | None, parents: dict[str, tuple[str, str]],
           known: dict[str, sa.Row[Any]]) -> sa.Row[Any]:
    """The checks that refuse a comment outright (no row stored), in the API's order."""
    if article is None or not article.open:
        raise ArticleNotOpen(d.article_id)
    if d.parent_id is not None:
        parent = parents.get(d.parent_id)
        if parent is None or parent[0] != d.article_id or parent[1] in ("rejected", "deleted"):
            raise Invalid("invalid-parent", "A reply must answer a comment on the same "
                          "article.", pointer="/parent_id")
    rid = d.identity.reader_id
    if d.identity.kind == "token" and rid not in known:
        raise Unauthenticated("unknown-reader", "This reader token is no longer valid.")
    return article


def _author(identity: Identity, reader: sa.Row[Any] | None,
            new_readers: dict[str, dict[str, Any]], renamed: dict[str, str], *,
            now: datetime) -> str:
    """The name shown with the comment; a reader seen for the first time is queued for
    insertion, and a login's changed name is taken over (the site is the source)."""
    if reader is None:
        row = new_readers.setdefault(identity.reader_id, {
            "reader_id": identity.reader_id, "display_name": identity.display_name or "",
            "kind": identity.kind, "status": "active", "suspended_until": None,
            "created_at": now})
        return str(row["display_name"])
    name = renamed.get(identity.reader_id, reader.display_name)
    if identity.kind == "jwt" and identity.display_name and name != identity.display_name:
        renamed[identity.reader_id] = name = identity.display_name  # written with the batch
    return str(name or identity.display_name or "")


async def _articles(conn: AsyncConnection, ids: Collection[str]) -> dict[str, sa.Row[Any]]:
    rows = await conn.execute(_ARTICLES, {"ids": list(ids)})
    return {row.article_id: row for row in rows}


# Built once, not per batch (building a statement and its cache key is a good part of
# what a small batch's query costs in CPU).
_ARTICLES = sa.select(KnownArticle.__table__).where(
    KnownArticle.__table__.c.article_id.in_(sa.bindparam("ids", expanding=True)))


async def _parents(conn: AsyncConnection, ids: Collection[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    rows = await conn.execute(sa.select(Comment.comment_id, Comment.article_id,
                                        Comment.status).where(Comment.comment_id.in_(ids)))
    return {cid: (aid, status) for cid, aid, status in rows}


def _insert(conn: AsyncConnection, model: type[Any]) -> Any:
    dialect = conn.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)
