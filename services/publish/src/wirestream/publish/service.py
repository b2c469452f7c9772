"""Publish's rules: apply a batch of events, put changed articles live, mark what else changed.

An article's own page is rendered in the transaction that stores it, once per
batch, so it is live when ``ArticlePublished`` goes out. Everything else that
shows it (front, section, tag and story pages, the feeds, the sitemap, other
articles' pages) is marked dirty in that same transaction and rendered by the
:mod:`page builder <wirestream.publish.builder>` once per round, however many
articles in the round touched it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import (
    ArticleEnriched,
    ArticleKilled,
    ArticleTranslated,
    CommentModerated,
    CommentPosted,
    Event,
    PollUpdated,
    StoryChanged,
)
from wirestream.common.outbox import Transaction
from wirestream.common.streams import GROUP_PUBLISH

from . import articles, dirty, keys, stories
from .article_page import render_articles, save_links
from .changes import Changes
from .engagement import apply_comment, apply_poll
from .pagestore import save_pages
from .site import Site
from .stories import apply_story_changed


async def handle_events(tx: Transaction, events: list[Event], *, site: Site,
                        now: datetime) -> list[str]:
    """Apply a batch of enriched-article and comment events; returns the paths written."""
    changes = Changes()
    fresh = await tx.fresh(GROUP_PUBLISH, events)
    await articles.preload(tx.session, fresh, changes)
    # Each StoryChanged states a story's whole membership: in a batch, only the last one
    # of each story matters (a running story's events list thousands of ids each).
    last_word = {e.story_id: e for e in fresh if isinstance(e, StoryChanged)}
    for n, event in enumerate(fresh):
        at = now + timedelta(microseconds=n)  # a batch's articles keep their stream order
        if isinstance(event, ArticleEnriched | ArticleTranslated):
            with tx.session.no_autoflush:  # new rows are inserted together at the end
                await _store(tx, event, changes, at)
        elif isinstance(event, ArticleKilled):
            await articles.kill(tx, event, changes, now=at)
        elif isinstance(event, StoryChanged) and last_word[event.story_id] is event:
            await apply_story_changed(tx.session, event, changes)
        elif isinstance(event, CommentPosted | CommentModerated):
            if await apply_comment(tx.session, event):
                changes.render_now.add(event.article_id)
        elif isinstance(event, PollUpdated):
            if await apply_poll(tx.session, event):
                changes.render_now.add(event.article_id)
    return await commit_changes(tx.session, changes, site=site, now=now)


async def _store(tx: Transaction, event: ArticleEnriched | ArticleTranslated,
                 changes: Changes, at: datetime) -> None:
    if isinstance(event, ArticleEnriched):
        await articles.store_enriched(tx, event, changes, now=at)
    else:
        await articles.store_translated(tx, event, changes, now=at)


async def commit_changes(session: AsyncSession, changes: Changes, *, site: Site,
                         now: datetime) -> list[str]:
    """Store the batch's tags, render ``render_now`` and mark everything else dirty, in the
    lock order of :mod:`.dirty`: article keys, their pages, then list keys in key order.

    The front pages are list pages like the others: rendering them here, once per
    batch, cost more than the article pages themselves under a steady flow of small
    batches, and held the write lock for it; the builder renders them once per round."""
    await articles.save_tags(session, changes)
    await stories.resolve(session, changes)
    now_keys = {keys.article(i) for i in changes.render_now}
    article_keys = now_keys | {k for k in changes.keys if k.kind == "article"}
    seqs = await dirty.mark(session, article_keys, now=now, seqs=True)
    pages = await render_articles(session, changes.render_now, site=site, new=changes.created)
    await save_pages(session, [(p.page, seqs[keys.article(i).text]) for i, p in pages.items()],
                     now=now)
    await save_links(session, {i: p.links for i, p in pages.items()}, new=changes.created)
    await dirty.finish(session, {k.text: seqs[k.text] for k in now_keys})
    await dirty.mark(session, changes.keys - article_keys, now=now)
    return [p.page.path for p in pages.values()]
