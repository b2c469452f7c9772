"""Everything a round of article pages shows, loaded in a fixed number of queries.

Rendering a hundred article pages costs the same eight queries as rendering
one: comments, polls, stories, language versions, tags, tag neighbours and
related candidates are each fetched for the whole round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ArticleTag, PublishedArticle, ShownComment, ShownPoll, Story
from .stories import BRIEF, MIN_ITEMS, item_counts, member_rows

A = PublishedArticle
LIVE = A.state == "live"
NEIGHBOURS = 20  # most recent articles per tag and language weighed for "related"
# Most recent members of a story weighed for "related" (a running story can have
# thousands; weighing them all cost O(members) per page).
STORY_CANDIDATES = 20


@dataclass
class ArticleContext:
    rows: dict[str, PublishedArticle]
    comments: dict[str, list[ShownComment]] = field(default_factory=dict)
    polls: dict[str, list[ShownPoll]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # items per story
    recent: dict[str, list[str]] = field(default_factory=dict)  # newest members first
    members: dict[str, list[sa.Row[Any]]] = field(default_factory=dict)  # untitled stories
    titles: dict[str, str] = field(default_factory=dict)
    versions: dict[str, list[PublishedArticle]] = field(default_factory=dict)  # by original
    related: dict[str, list[PublishedArticle]] = field(default_factory=dict)


def _group(rows: Collection[object], attr: str) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for row in rows:
        out[getattr(row, attr)].append(row)
    return out


async def load(session: AsyncSession, ids: Collection[str], *, related_size: int,
               new: Collection[str] = ()) -> ArticleContext:
    rows = {r.article_id: r for r in (await session.scalars(
        sa.select(A).where(A.article_id.in_(ids)))).all()}
    ctx = ArticleContext(rows)
    live = [r for r in rows.values() if r.state == "live"]
    if not live:
        return ctx
    live_ids = [r.article_id for r in live]
    known = [i for i in live_ids if i not in new]  # new articles have no comments or polls
    ctx.comments = {} if not known else _group((await session.scalars(
        sa.select(ShownComment)
        .where(ShownComment.article_id.in_(known), ShownComment.status == "approved")
        .order_by(ShownComment.posted_at, ShownComment.comment_id))).all(), "article_id")
    ctx.polls = {} if not known else _group((await session.scalars(
        sa.select(ShownPoll).where(ShownPoll.article_id.in_(known))
        .order_by(ShownPoll.poll_id))).all(), "article_id")
    story_ids = {r.story_id for r in live if r.story_id}
    if story_ids:
        ctx.counts = await item_counts(session, story_ids)
        ctx.recent = await _recent_members(session, story_ids)
        ctx.titles = dict((await session.execute(
            sa.select(Story.story_id, Story.title).where(Story.story_id.in_(story_ids)))).all())
        # A story enrich has not announced yet is titled by its first item.
        ctx.members = await member_rows(session, [
            s for s in story_ids if ctx.counts.get(s, 0) >= MIN_ITEMS and not ctx.titles.get(s)])
    originals = {r.source_article_id or r.article_id for r in live}
    versions = (await session.scalars(
        sa.select(A).options(BRIEF).where(LIVE, sa.or_(
            A.article_id.in_(originals), A.source_article_id.in_(originals))))).all()
    for v in versions:
        ctx.versions.setdefault(v.source_article_id or v.article_id, []).append(v)
    if related_size > 0:
        ctx.related = await _related(session, ctx, live, related_size)
    return ctx


async def _recent_members(session: AsyncSession,
                          story_ids: Collection[str]) -> dict[str, list[str]]:
    rank = sa.func.row_number().over(partition_by=A.story_id,
                                     order_by=(A.published_at.desc(), A.article_id.desc()))
    ranked = (sa.select(A.story_id, A.article_id, rank.label("rn"))
              .where(A.story_id.in_(story_ids), LIVE).subquery())
    out: dict[str, list[str]] = defaultdict(list)
    for story_id, article_id in (await session.execute(
            sa.select(ranked.c.story_id, ranked.c.article_id)
            .where(ranked.c.rn <= STORY_CANDIDATES).order_by(ranked.c.rn))).all():
        out[story_id].append(article_id)
    return out


async def _neighbours(session: AsyncSession, live: list[PublishedArticle],
                      ) -> tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]:
    """Each page's tags, and the most recent live articles per (tag, language)."""
    tagged = (await session.execute(sa.select(ArticleTag.article_id, ArticleTag.tag_id).where(
        ArticleTag.article_id.in_([r.article_id for r in live])))).all()
    tags_of: dict[str, list[str]] = defaultdict(list)
    for article_id, tag_id in tagged:
        tags_of[article_id].append(tag_id)
    language_of = {r.article_id: r.language for r in live}
    pairs = sorted({(t, language_of[a]) for a, t in tagged})
    if not pairs:
        return tags_of, {}
    # Per (tag, language), the newest live articles: a walk of ix_article_tags_recent
    # that stops after NEIGHBOURS rows, all pairs in one statement. (A window function
    # over every live article of each tag cost more as the archive grew: 28% of
    # publish's CPU at 50 items/s with ~1,500 articles.)
    params: dict[str, str] = {}
    for n, (tag_id, language) in enumerate(pairs):
        params[f"t{n}"], params[f"l{n}"] = tag_id, language
    near: dict[tuple[str, str], list[str]] = defaultdict(list)
    for tag_id, language, article_id in (await session.execute(
            _neighbours_sql(len(pairs)), params)).all():
        near[(tag_id, language)].append(article_id)
    return tags_of, near


@lru_cache(maxsize=128)
def _neighbours_sql(pairs: int) -> sa.TextClause:
    """The statement for ``pairs`` (tag, language) pairs, bound as ``t<n>`` and ``l<n>``.

    Plain SQL, built once per number of pairs: the same union as SQLAlchemy
    constructs cost more to build and to key for its statement cache, per page
    round, than SQLite took to run it (~40% of publish's handler time)."""
    t, a = ArticleTag.__table__.name, A.__table__.name
    parts = " UNION ALL ".join(
        f"SELECT * FROM (SELECT t.tag_id, t.language, t.article_id, t.published_at FROM {t} t"
        f" JOIN {a} a ON a.article_id = t.article_id"
        f" WHERE t.tag_id = :t{n} AND t.language = :l{n} AND a.state = 'live'"
        f" ORDER BY t.published_at DESC, t.article_id LIMIT {NEIGHBOURS}) p{n}"
        for n in range(pairs))
    # Each pair's rows newest first (then by id), as its part chose them: a union
    # keeps no order of its own.
    return sa.text(f"SELECT u.tag_id, u.language, u.article_id FROM ({parts}) u"
                   " ORDER BY u.tag_id, u.language, u.published_at DESC, u.article_id")


async def _related(session: AsyncSession, ctx: ArticleContext, live: list[PublishedArticle],
                   size: int) -> dict[str, list[PublishedArticle]]:
    """Enrich's related ids first, then the story, then most shared tags; same language."""
    tags_of, near = await _neighbours(session, live)
    wanted: dict[str, list[str]] = {}
    for row in live:
        shared: dict[str, int] = defaultdict(int)
        for tag_id in tags_of.get(row.article_id, ()):
            for i, other in enumerate(near.get((tag_id, row.language), ())):
                shared[other] += NEIGHBOURS - i  # more shared tags first, then more recent
        by_tags = sorted(shared, key=lambda o: -shared[o])
        story = ctx.recent.get(row.story_id or "", [])
        # Only enrich's related ids are wanted: read them from the stored event rather
        # than validating all of it (body and tags included) for every page.
        listed = [str(i) for i in (row.data or {}).get("related") or ()]
        wanted[row.article_id] = list(dict.fromkeys([*listed, *story, *by_tags]))
    candidates = {c for w in wanted.values() for c in w}
    if not candidates:
        return {}
    found = (await session.scalars(
        sa.select(A).options(BRIEF)
        .where(LIVE, A.language.in_({r.language for r in live}),
               sa.or_(A.article_id.in_(candidates), A.source_article_id.in_(candidates))))).all()
    in_language: dict[tuple[str, str], PublishedArticle] = {}
    for f in found:  # an id in another language stands for its translation, if any
        in_language.setdefault((f.article_id, f.language), f)
        if f.source_article_id:
            in_language.setdefault((f.source_article_id, f.language), f)
    out: dict[str, list[PublishedArticle]] = {}
    for row in live:
        original = row.source_article_id or row.article_id
        mine = {v.article_id for v in ctx.versions.get(original, [])} | {row.article_id}
        picked: list[PublishedArticle] = []
        for c in wanted[row.article_id]:
            hit = in_language.get((c, row.language))
            if hit is not None and hit.article_id not in mine and hit not in picked:
                picked.append(hit)
            if len(picked) == size:
                break
        out[row.article_id] = picked
    return out
