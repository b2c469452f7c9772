"""Stories: membership (``articles.story_id``), what enrich says about them, and their pages."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, load_only

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


def items_for(rows: list[PublishedArticle], language: str) -> list[PublishedArticle]:
    """One entry per story item: its version in ``language`` when there is one."""
    ids = {r.article_id for r in rows}
    originals = [r for r in rows if r.source_article_id not in ids]
    local = {r.source_article_id: r for r in rows
             if r.source_article_id in ids and r.language == language}
    return [r if r.language == language else local.get(r.article_id, r) for r in originals]


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
    rows = (await session.scalars(
        sa.select(A).options(BRIEF).where(A.story_id.in_(changes.stories), LIVE))).all()
    by_story: dict[str, list[PublishedArticle]] = {}
    for r in rows:
        by_story.setdefault(r.story_id or "", []).append(r)
    moved: list[PublishedArticle] = []
    for story_id in changes.stories:
        members = by_story.get(story_id, [])
        changes.keys.update(keys.Key("story", lang, story_id)
                            for lang in {r.language for r in members})
        now = len(items_for(members, ""))
        before = now - changes.moved.get(story_id, 0)
        if story_id in changes.retitled or (before >= MIN_ITEMS) != (now >= MIN_ITEMS):
            moved += members
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
    """Record enrich's view of the story and move articles in or out of it."""
    story = await session.get(Story, event.story_id)
    if story is not None and as_utc(story.updated_at) >= as_utc(event.occurred_at):
        return  # an older announcement, delivered late
    rows = await members(session, event.story_id)
    before = {r.article_id for r in rows}
    items_before = len(items_for(rows, ""))
    retitled = story is None or story.title != event.title
    if story is None:
        story = Story(story_id=event.story_id)
        session.add(story)
    story.title, story.article_ids = event.title, list(event.article_ids)
    story.sources, story.updated_at = list(event.sources), event.occurred_at
    listed = set(event.article_ids)
    in_story = sa.or_(A.article_id.in_(listed), A.source_article_id.in_(listed))
    left = set((await session.scalars(
        sa.select(A.story_id).where(in_story, A.story_id.is_not(None),
                                    A.story_id != event.story_id).distinct())).all())
    await session.execute(sa.update(A).where(in_story).values(story_id=event.story_id))
    out_of_story = sa.and_(A.article_id.not_in(listed), sa.or_(
        A.source_article_id.is_(None), A.source_article_id.not_in(listed)))  # NULL-safe
    await session.execute(
        sa.update(A).where(A.story_id == event.story_id, out_of_story).values(story_id=None))
    await session.flush()
    rows = await members(session, event.story_id)
    after = {r.article_id for r in rows}
    for article_id in before ^ after:  # joined or left: their story box changed
        changes.keys.add(keys.article(article_id))
    changes.story(event.story_id, moved=len(items_for(rows, "")) - items_before,
                  retitled=retitled)
    for story_id in left:
        changes.story(story_id, retitled=True)  # rare: recount its members' pages


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
