"""Publish's rules: render pages when articles or their comments change, take kills down."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import (
    ArticleEnriched,
    ArticleKilled,
    ArticlePublished,
    ArticleUnpublished,
    CommentModerated,
    CommentPosted,
    Event,
    derived_id,
)
from wirestream.common.outbox import Transaction
from wirestream.common.streams import ARTICLES_PUBLISHED, GROUP_PUBLISH

from .models import Page, PublishedArticle, ShownComment
from .render import Renderer, SiteConfig
from .views import article_path, article_view, list_item

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Site:
    """What rendering needs: the renderer, the site settings, the comments API URL."""

    renderer: Renderer
    config: SiteConfig
    comments_api: str
    home_size: int = 30


async def handle_events(tx: Transaction, events: list[Event], *, site: Site,
                        now: datetime) -> None:
    """Apply a batch of enriched-article and comment events, re-rendering what they touch."""
    dirty_articles: set[str] = set()
    dirty_homes: set[str] = set()
    for event in await tx.fresh(GROUP_PUBLISH, events):
        if isinstance(event, ArticleEnriched):
            if await _store(tx, event, now=now):
                dirty_articles.add(event.article.article_id)
                dirty_homes.add(event.language)
        elif isinstance(event, ArticleKilled):
            language = await _kill(tx, event, site=site, now=now)
            if language:
                dirty_homes.add(language)
        elif isinstance(event, CommentPosted | CommentModerated):
            if await _comment(tx.session, event):
                dirty_articles.add(event.article_id)
    for article_id in dirty_articles:
        await render_article(tx.session, article_id, site=site, now=now)
    if dirty_homes:
        await render_homes(tx.session, dirty_homes, site=site, now=now)


async def _store(tx: Transaction, event: ArticleEnriched, *, now: datetime) -> bool:
    a = event.article
    row = await tx.session.get(PublishedArticle, a.article_id)
    if row is not None and (row.version >= a.version or row.state == "killed"):
        return False
    path = article_path(event.language, a.article_id)
    if row is None:
        row = PublishedArticle(article_id=a.article_id, published_at=now)
        tx.session.add(row)
    row.version, row.language, row.headline, row.url = a.version, event.language, a.headline, path
    row.state, row.urgency, row.story_id = "live", a.urgency, event.story_id
    row.data, row.updated_at = event.model_dump(mode="json"), now
    await tx.emit(ARTICLES_PUBLISHED, ArticlePublished(
        event_id=derived_id(event.event_id, GROUP_PUBLISH), correlation_id=event.correlation_id,
        article_id=a.article_id, version=a.version, language=event.language,
        headline=a.headline, url=path, is_update=event.is_update, urgency=a.urgency))
    return True


async def _kill(tx: Transaction, event: ArticleKilled, *, site: Site,
                now: datetime) -> str | None:
    row = await tx.session.get(PublishedArticle, event.article_id)
    if row is None or row.state == "killed":
        return None
    row.state, row.updated_at = "killed", now
    await save_page(tx.session, row.url, site.renderer.gone(row.language), now=now, status=410)
    await tx.emit(ARTICLES_PUBLISHED, ArticleUnpublished(
        event_id=derived_id(event.event_id, GROUP_PUBLISH), correlation_id=event.correlation_id,
        article_id=event.article_id, url=row.url))
    return row.language


async def _comment(session: AsyncSession, event: CommentPosted | CommentModerated) -> bool:
    row = await session.get(ShownComment, event.comment_id)
    if row is None:
        if not isinstance(event, CommentPosted):
            return False
        row = ShownComment(comment_id=event.comment_id, article_id=event.article_id,
                           parent_id=event.parent_id, author=event.author, body=event.body,
                           status=event.status, posted_at=event.posted_at)
        session.add(row)
        return event.status == "approved"
    was_visible = row.status == "approved"
    row.status = event.status
    return was_visible or event.status == "approved"


async def render_article(session: AsyncSession, article_id: str, *, site: Site,
                         now: datetime) -> None:
    row = await session.get(PublishedArticle, article_id)
    if row is None or row.state != "live":
        return
    comments = list((await session.scalars(
        sa.select(ShownComment)
        .where(ShownComment.article_id == article_id, ShownComment.status == "approved")
        .order_by(ShownComment.posted_at)
    )).all())
    view = article_view(row, comments, site=site.config, comments_api=site.comments_api)
    await save_page(session, row.url, site.renderer.article(view), now=now)


async def render_homes(session: AsyncSession, languages: set[str], *, site: Site,
                       now: datetime) -> None:
    """The front page of each touched language, and the site root (all languages)."""
    for language in sorted(languages) + [""]:
        q = sa.select(PublishedArticle).where(PublishedArticle.state == "live")
        if language:
            q = q.where(PublishedArticle.language == language)
        rows = (await session.scalars(
            q.order_by(PublishedArticle.published_at.desc()).limit(site.home_size))).all()
        items = [list_item(r) for r in rows]
        top = [i for i in items if i.urgency is not None and i.urgency <= 3][:5]
        page_language = language or site.config.default_language
        html = site.renderer.home(items, top, page_language)
        await save_page(session, f"/{language}/" if language else "/", html, now=now)


async def save_page(session: AsyncSession, path: str, body: str, *, now: datetime,
                    status: int = 200, content_type: str = HTML) -> None:
    etag = '"' + hashlib.blake2b(body.encode(), digest_size=12).hexdigest() + '"'
    page = await session.get(Page, path)
    if page is None:
        session.add(Page(path=path, status=status, content_type=content_type, body=body,
                         etag=etag, last_modified=now))
    elif page.etag != etag or page.status != status:
        page.status, page.content_type, page.body = status, content_type, body
        page.etag, page.last_modified = etag, now
