"""Articles going live, changing and being killed, and which pages each change touches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import (
    ArticleEnriched,
    ArticleKilled,
    ArticlePublished,
    ArticleTranslated,
    ArticleUnpublished,
    Event,
    Tag,
    derived_id,
)
from wirestream.common.kills import load_tombstones, outlives_kill, record_kill
from wirestream.common.outbox import Transaction
from wirestream.common.streams import ARTICLES_PUBLISHED, GROUP_PUBLISH

from . import keys
from .changes import Changes
from .dirty import upsert
from .models import ArticleLink, ArticleTag, KilledArticle, PublishedArticle, TagLabel
from .paths import article_path, is_segment, slug
from .views import card_of

A = PublishedArticle


def page_tags(tags: Sequence[Tag]) -> list[Tag]:
    """The tags that get a page: not keywords, and ids that fit in a URL."""
    return [t for t in tags if t.kind != "keyword" and is_segment(t.id)]


async def preload(session: AsyncSession, events: Sequence[Event], changes: Changes) -> None:
    """Load the batch's article rows in one query (and so never autoflush per article)."""
    ids: set[str] = set()
    for e in events:
        if isinstance(e, ArticleEnriched | ArticleTranslated):
            ids.add(e.article.article_id)
        if isinstance(e, ArticleTranslated):
            ids.add(e.source_article_id)
        if isinstance(e, ArticleKilled):
            ids.add(e.article_id)
    if ids:
        rows = (await session.scalars(sa.select(A).where(A.article_id.in_(ids)))).all()
        changes.rows.update({r.article_id: r for r in rows})
        changes.kills.update(await load_tombstones(session, KilledArticle, ids))


async def _shown_on(session: AsyncSession, row: PublishedArticle, changes: Changes) -> None:
    """Mark every list (and feed, sitemap) showing ``row`` as it is now."""
    if row.article_id in changes.tags:
        tags = [t.id for t in changes.tags[row.article_id]]
    else:
        tags = list((await session.scalars(
            sa.select(ArticleTag.tag_id).where(ArticleTag.article_id == row.article_id))).all())
    changes.keys |= keys.lists_showing(language=row.language, section=row.section, tags=tags,
                                       story_id=row.story_id, story_languages=())
    changes.story(row.story_id)


async def _linking(session: AsyncSession, article_id: str, changes: Changes) -> None:
    """Mark the article pages that show ``article_id`` (related links, language switchers)."""
    pages = (await session.scalars(
        sa.select(ArticleLink.page_id).where(ArticleLink.linked_id == article_id))).all()
    changes.keys.update(keys.article(p) for p in pages)


async def translations_of(session: AsyncSession, article_id: str) -> list[PublishedArticle]:
    return list((await session.scalars(
        sa.select(A).where(A.source_article_id == article_id, A.state == "live"))).all())


async def store_enriched(tx: Transaction, event: ArticleEnriched, changes: Changes, *,
                         now: datetime) -> None:
    await _store(tx, event, changes, now=now)


async def store_translated(tx: Transaction, event: ArticleTranslated, changes: Changes, *,
                           now: datetime) -> None:
    source = changes.rows.get(event.source_article_id)
    if source is not None and source.state != "live":
        return  # the original was killed: its translations go with it
    source_kill = changes.kills.get(event.source_article_id)
    if source is None and source_kill and not outlives_kill(event.article, source_kill.version):
        return  # the original was killed before it came (a translation shares its versions)
    enriched = ArticleEnriched(
        event_id=event.event_id, correlation_id=event.correlation_id, article=event.article,
        language=event.article.language or event.source_language, tags=event.tags,
        story_id=event.story_id or (source.story_id if source else None),
        is_update=event.article.article_id in changes.rows)
    row = await _store(tx, enriched, changes, now=now, original=False)
    if row is None:
        return
    row.source_article_id, row.source_language = event.source_article_id, event.source_language
    row.mt_engine = event.engine if event.machine else None
    changes.keys.add(keys.article(event.source_article_id))
    for sibling in await translations_of(tx.session, event.source_article_id):
        changes.keys.add(keys.article(sibling.article_id))


async def _store(tx: Transaction, event: ArticleEnriched, changes: Changes, *,
                 now: datetime, original: bool = True) -> PublishedArticle | None:
    a = event.article
    row = changes.rows.get(a.article_id)
    tomb = changes.kills.get(a.article_id)
    if tomb is not None and not outlives_kill(a, tomb.version):
        if row is None:  # its kill came first
            _bury(tx.session, event, changes, now=now)
        return None
    if row is not None and (row.version >= a.version or (row.state == "killed" and tomb is None)):
        return None  # older, or killed before kills left tombstones (final then)
    old_story, headline_changed = (row.story_id, row.headline != a.headline) \
        if row is not None and row.state == "live" else (None, False)
    if row is None:
        row = A(article_id=a.article_id, published_at=now, state="live",
                url=article_path(event.language, a.article_id))
        tx.session.add(row)
        changes.rows[a.article_id] = row
        changes.created.add(a.article_id)
    else:
        await _shown_on(tx.session, row, changes)  # where it was
    section = slug(a.section) if a.section else None
    row.state = "live"  # also back from a kill: a higher usable version came after it
    row.version, row.language, row.headline = a.version, event.language, a.headline
    row.section, row.urgency, row.story_id = section or None, a.urgency, event.story_id
    row.data, row.card = event.model_dump(mode="json"), card_of(event, section or None)
    row.updated_at = now
    changes.tags[a.article_id] = page_tags(event.tags)
    changes.render_now.add(a.article_id)
    await _shown_on(tx.session, row, changes)  # where it is now
    if old_story != row.story_id:  # a translation is not an item of its own
        changes.story(old_story, moved=-1 if original else 0)
        changes.story(row.story_id, moved=1 if original else 0)
    if headline_changed:
        await _linking(tx.session, a.article_id, changes)
    await tx.emit(ARTICLES_PUBLISHED, ArticlePublished(
        event_id=derived_id(event.event_id, GROUP_PUBLISH), correlation_id=event.correlation_id,
        article_id=a.article_id, version=a.version, language=event.language,
        headline=a.headline, url=row.url, is_update=event.is_update, urgency=a.urgency))
    return row


def _bury(session: AsyncSession, event: ArticleEnriched, changes: Changes, *,
          now: datetime) -> None:
    """Store an item that came after its kill as killed: its URL answers 410, no list shows it."""
    a = event.article
    row = A(article_id=a.article_id, version=a.version, language=event.language,
            headline=a.headline, url=article_path(event.language, a.article_id), state="killed",
            urgency=a.urgency, story_id=None, data=event.model_dump(mode="json"), card=None,
            published_at=now, updated_at=now)
    session.add(row)
    changes.rows[a.article_id] = row
    changes.created.add(a.article_id)
    changes.render_now.add(a.article_id)


async def save_tags(session: AsyncSession, changes: Changes) -> None:
    """Store the batch's article tags, and the labels of tags whose labels changed."""
    if not changes.tags:
        return
    ids = [a for a in changes.tags if a not in changes.created]
    if ids:
        await session.execute(sa.delete(ArticleTag).where(ArticleTag.article_id.in_(ids)))
    rows = [{"article_id": a, "tag_id": t, "language": changes.rows[a].language,
             "published_at": changes.rows[a].published_at}
            for a, tags in sorted(changes.tags.items()) for t in sorted({t.id for t in tags})]
    if rows:
        await session.execute(sa.insert(ArticleTag), rows)
    latest = {t.id: t for tags in changes.tags.values() for t in tags}
    if not latest:
        return
    # Tags are shared by many articles: a tag's row is written only when its labels
    # change, so concurrent replicas do not queue on popular tags.
    known = dict((await session.execute(
        sa.select(TagLabel.tag_id, TagLabel.labels)
        .where(TagLabel.tag_id.in_(list(latest))))).all())
    for tag_id in sorted(t for t in latest if known.get(t) != latest[t].labels):
        tag = latest[tag_id]
        stmt = upsert(session)(TagLabel).values(tag_id=tag.id, kind=tag.kind,
                                                labels=dict(tag.labels))
        await session.execute(stmt.on_conflict_do_update(
            index_elements=[TagLabel.tag_id], set_={"kind": tag.kind, "labels": tag.labels}))


async def kill(tx: Transaction, event: ArticleKilled, changes: Changes, *,
               now: datetime) -> None:
    """Take the article and its translations down everywhere: 410 page, lists, feeds, sitemap."""
    row = changes.rows.get(event.article_id)
    if row is None or row.state != "live":
        # Remembered even before the article comes (a kill can overtake its item).
        record_kill(tx.session, changes.kills, KilledArticle, event.article_id,
                    version=max(event.version, row.version if row else 0), now=now)
        return
    translations = await translations_of(tx.session, row.article_id)
    changes.kills.update(await load_tombstones(
        tx.session, KilledArticle, [t.article_id for t in translations
                                    if t.article_id not in changes.kills]))
    for victim in [row, *translations]:
        record_kill(tx.session, changes.kills, KilledArticle, victim.article_id,
                    version=max(event.version, victim.version), now=now)
        await _shown_on(tx.session, victim, changes)
        await _linking(tx.session, victim.article_id, changes)
        changes.story(victim.story_id, moved=0 if victim.source_article_id else -1)
        if victim.source_article_id:
            changes.keys.add(keys.article(victim.source_article_id))
        victim.state, victim.updated_at = "killed", now
        changes.render_now.add(victim.article_id)
        await tx.emit(ARTICLES_PUBLISHED, ArticleUnpublished(
            event_id=derived_id(event.event_id if victim is row
                                else f"{event.event_id}:{victim.article_id}", GROUP_PUBLISH),
            correlation_id=event.correlation_id, article_id=victim.article_id, url=victim.url))
