"""Stories: membership (``articles.story_id``), what enrich says about them, and their pages."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer, load_only

from wirestream.common.events import StoryChanged

from . import keys
from .changes import Changes
from .models import ArticleTag, PublishedArticle, Story
from .paths import story_path
from .render import StoryRef
from .render.views import as_utc

A = PublishedArticle
LIVE = A.state == "live"
MIN_ITEMS = 2  # a "story" of one item is not worth a link
# What links, switchers and story boxes need of an article (no body, no card to parse).
BRIEF = load_only(A.article_id, A.version, A.language, A.headline, A.url, A.state,
                  A.story_id, A.section, A.published_at, A.updated_at, A.source_article_id,
                  A.mt_engine)


async def members(session: AsyncSession, story_id: str) -> list[PublishedArticle]:
    """The story's live articles, translations included, oldest first."""
    return list((await session.scalars(
        sa.select(A).options(defer(A.data)).where(A.story_id == story_id, LIVE)
        .order_by(A.published_at, A.article_id))).all())


class Member(Protocol):
    """What story bookkeeping needs of a member: ORM rows and plain column rows both fit."""

    @property
    def article_id(self) -> str: ...
    @property
    def source_article_id(self) -> str | None: ...
    @property
    def language(self) -> str: ...


# Story bookkeeping reads these columns as plain rows: a running story can have
# thousands of members, and ORM objects for each would cost O(members) per event.
MEMBER_COLUMNS = (A.story_id, A.article_id, A.source_article_id, A.language, A.headline,
                  A.section)


async def member_rows(session: AsyncSession,
                      story_ids: Collection[str]) -> dict[str, list[sa.Row[Any]]]:
    """The live members of each story as light rows, oldest first."""
    wanted = [s for s in story_ids if s]
    out: dict[str, list[sa.Row[Any]]] = {s: [] for s in wanted}
    if not wanted:
        return out
    for r in (await session.execute(
            sa.select(*MEMBER_COLUMNS).where(A.story_id.in_(wanted), LIVE)
            .order_by(A.published_at, A.article_id))).all():
        out[r.story_id].append(r)
    return out


M = TypeVar("M", bound=Member)


def items_for(rows: Sequence[M], language: str) -> list[M]:
    """One entry per story item: its version in ``language`` when there is one."""
    ids = {r.article_id for r in rows}
    originals = [r for r in rows if r.source_article_id not in ids]
    local = {r.source_article_id: r for r in rows
             if r.source_article_id in ids and r.language == language}
    return [r if r.language == language else local.get(r.article_id, r) for r in originals]


async def item_counts(session: AsyncSession, story_ids: Collection[str]) -> dict[str, int]:
    """Each story's number of items (live members that are not translations of another
    live member), counted by the database rather than by loading every member."""
    wanted = [s for s in story_ids if s]
    if not wanted:
        return {}
    source = aliased(A)
    translation_of_member = sa.exists().where(
        source.article_id == A.source_article_id, source.story_id == A.story_id,
        source.state == "live")
    return dict((await session.execute(  # type: ignore[arg-type]
        sa.select(A.story_id, sa.func.count())
        .where(A.story_id.in_(wanted), LIVE,
               sa.or_(A.source_article_id.is_(None), ~translation_of_member))
        .group_by(A.story_id))).all())


def item_count(sources: dict[str, str | None]) -> int:
    """The number of items among members given as ``article_id -> source_article_id``."""
    return sum(1 for source in sources.values() if source not in sources)


async def story_refs(session: AsyncSession, story_ids: Collection[str],
                     language: str) -> dict[str, StoryRef]:
    """A link to each story with at least two live items (translations not counted)."""
    wanted = {s for s in story_ids if s}
    if not wanted:
        return {}
    found = (await session.execute(
        sa.select(A.story_id, sa.func.count(), Story.title)
        .outerjoin(Story, Story.story_id == A.story_id)
        .where(A.story_id.in_(wanted), LIVE, A.source_article_id.is_(None))
        .group_by(A.story_id, Story.title))).all()
    return {s: StoryRef(s, title or "", story_path(language, s), n)
            for s, n, title in found if s and n >= MIN_ITEMS}


async def resolve(session: AsyncSession, changes: Changes) -> None:
    """Turn the batch's touched stories into page keys: each story's pages in every
    language it has items in and, when its members' story box appears, disappears or is
    renamed, their pages and the lists their cards are on. (Item counts elsewhere follow
    as those pages are rendered for other reasons: re-rendering every member for every
    new item would cost O(items) per item.)"""
    if not changes.stories:
        return
    counts = await item_counts(session, changes.stories)
    languages = (await session.execute(
        sa.select(A.story_id, A.language).where(A.story_id.in_(changes.stories), LIVE)
        .distinct())).all()
    for story_id, lang in languages:
        changes.keys.add(keys.Key("story", lang, story_id or ""))
    boxed = []
    for story_id in changes.stories:
        now = counts.get(story_id, 0)
        before = now - changes.moved.get(story_id, 0)
        if story_id in changes.retitled or (before >= MIN_ITEMS) != (now >= MIN_ITEMS):
            boxed.append(story_id)
    moved = [r for rows in (await member_rows(session, boxed)).values() for r in rows]
    tags = (await session.execute(
        sa.select(ArticleTag.article_id, ArticleTag.tag_id)
        .where(ArticleTag.article_id.in_([r.article_id for r in moved])))).all() if moved else []
    by_article: dict[str, list[str]] = {}
    for article_id, tag_id in tags:
        by_article.setdefault(article_id, []).append(tag_id)
    for r in moved:
        changes.keys.add(keys.article(r.article_id))
        changes.keys.update(keys.lists_showing(
            language=r.language, section=r.section, tags=by_article.get(r.article_id, ()),
            story_id=None, story_languages=()))


async def apply_story_changed(session: AsyncSession, event: StoryChanged,
                              changes: Changes) -> None:
    """Record enrich's view of the story and move articles in or out of it.

    Only the articles that join or leave are written: a running story's event lists
    every member, and rewriting them all would cost O(members) writes per event."""
    story = await session.get(Story, event.story_id)
    if story is not None and as_utc(story.updated_at) >= as_utc(event.occurred_at):
        return  # an older announcement, delivered late
    # Every member, killed ones too (a member the event no longer lists leaves whatever
    # its state), as article_id -> (source_article_id, live).
    held = {r.article_id: (r.source_article_id, r.state == "live") for r in (
        await session.execute(sa.select(A.article_id, A.source_article_id, A.state)
                              .where(A.story_id == event.story_id))).all()}
    before = {a: src for a, (src, live) in held.items() if live}
    retitled = story is None or story.title != event.title
    if story is None:
        story = Story(story_id=event.story_id)
        session.add(story)
    story.title, story.article_ids = event.title, list(event.article_ids)
    story.sources, story.updated_at = list(event.sources), event.occurred_at
    listed = set(event.article_ids)
    leaving = {a for a, (src, _live) in held.items()
               if a not in listed and (src is None or src not in listed)}
    if leaving:
        await session.execute(sa.update(A).where(A.article_id.in_(sorted(leaving)))
                              .values(story_id=None))
    elsewhere = sa.or_(A.story_id.is_(None), A.story_id != event.story_id)
    # The listed articles not in it yet, then the translations of its members: the same
    # rows as "listed, or a translation of one listed", without binding every listed id.
    joining = await _join(session, event.story_id, sa.and_(
        A.article_id.in_(listed - held.keys()), elsewhere))
    member = aliased(A)
    mine = sa.select(member.article_id).where(member.story_id == event.story_id)
    joining += await _join(session, event.story_id, sa.and_(
        A.source_article_id.in_(mine), elsewhere))
    after = {a: src for a, src in before.items() if a not in leaving}
    after.update((r.article_id, r.source_article_id) for r in joining if r.state == "live")
    for article_id in before.keys() ^ after.keys():  # joined or left: their story box changed
        changes.keys.add(keys.article(article_id))
    changes.story(event.story_id, moved=item_count(after) - item_count(before),
                  retitled=retitled)
    for story_id in {r.story_id for r in joining if r.story_id}:
        changes.story(story_id, retitled=True)  # rare: recount its members' pages


async def _join(session: AsyncSession, story_id: str,
                where: sa.ColumnElement[bool]) -> list[sa.Row[Any]]:
    """Move the rows ``where`` selects into the story; returns them as they were."""
    rows = list((await session.execute(
        sa.select(A.article_id, A.story_id, A.source_article_id, A.state).where(where))).all())
    if rows:
        await session.execute(sa.update(A).where(A.article_id.in_([r.article_id for r in rows]))
                              .values(story_id=story_id))
    return rows


async def summary(session: AsyncSession, story_id: str) -> dict[str, object] | None:
    """The story as the JSON API shows it: items oldest first, each with its other languages."""
    rows = await members(session, story_id)
    story = await session.get(Story, story_id)
    if not rows and story is None:
        return None
    ids = {r.article_id for r in rows}
    originals = [r for r in rows if r.source_article_id not in ids]
    versions: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        if r.source_article_id in ids:
            versions.setdefault(r.source_article_id or "", []).append(
                {"language": r.language, "url": r.url, "article_id": r.article_id})
    sources = list(story.sources) if story and story.sources else list(dict.fromkeys(
        s for r in originals for s in (r.card or {}).get("sources", [])))
    return {
        "story_id": story_id,
        "title": (story.title if story else "") or (originals[0].headline if originals else ""),
        "sources": sources,
        "item_count": len(originals),
        "languages": sorted({r.language for r in rows}),
        "urls": {lang: story_path(lang, story_id) for lang in sorted({r.language for r in rows})},
        "items": [{"article_id": r.article_id, "headline": r.headline, "language": r.language,
                   "url": r.url, "published_at": as_utc(r.published_at).isoformat(),
                   "translations": versions.get(r.article_id, [])} for r in originals],
    }
