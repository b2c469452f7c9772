"""Article pages: the story they are in, related articles, translations, comments, polls."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from . import article_context, stories
from .article_context import ArticleContext
from .models import ArticleLink, PublishedArticle
from .pagestore import PageOut
from .paths import story_path
from .render import RelatedLink, StoryRef, TranslationLink
from .site import Site
from .views import article_view


@dataclass(frozen=True)
class ArticlePage:
    page: PageOut
    links: frozenset[str]  # the other articles this page shows


async def render_articles(session: AsyncSession, ids: Collection[str], *, site: Site,
                          new: Collection[str] = ()) -> dict[str, ArticlePage]:
    """The pages of ``ids`` (a killed article's is its 410 notice); unknown ids are skipped.
    ``new``: ids first stored in this transaction (nobody can have commented yet)."""
    ctx = await article_context.load(session, ids, related_size=site.related_size, new=new)
    out: dict[str, ArticlePage] = {}
    for article_id, row in ctx.rows.items():
        if row.state != "live":
            out[article_id] = ArticlePage(
                PageOut(row.url, site.renderer.gone(row.language), status=410), frozenset())
            continue
        translations, versions = _translations(ctx, row)
        related = ctx.related.get(article_id, [])
        view = article_view(
            row, comments=ctx.comments.get(article_id, []), polls=ctx.polls.get(article_id, []),
            story=_story(ctx, row), related=[RelatedLink(r.headline, r.url) for r in related],
            translations=translations, site=site.config, comments_api=site.comments_api)
        links = frozenset({*versions, *(r.article_id for r in related)})
        out[article_id] = ArticlePage(PageOut(row.url, site.renderer.article(view)), links)
    return out


async def save_links(session: AsyncSession, links: dict[str, frozenset[str]], *,
                     new: Collection[str] = ()) -> None:
    """Record which articles each page shows (replacing what it showed before)."""
    old = [page for page in links if page not in new]
    if old:
        await session.execute(sa.delete(ArticleLink).where(ArticleLink.page_id.in_(old)))
    rows = [{"page_id": page, "linked_id": linked}
            for page in sorted(links) for linked in sorted(links[page])]
    if rows:
        await session.execute(sa.insert(ArticleLink), rows)


def _story(ctx: ArticleContext, row: PublishedArticle) -> StoryRef | None:
    count = ctx.counts.get(row.story_id or "", 0)
    if not row.story_id or count < stories.MIN_ITEMS:
        return None
    title = ctx.titles.get(row.story_id) or next(iter(
        stories.items_for(ctx.members.get(row.story_id, []), row.language)), row).headline
    return StoryRef(row.story_id, title, story_path(row.language, row.story_id), count)


def _translations(ctx: ArticleContext,
                  row: PublishedArticle) -> tuple[list[TranslationLink], set[str]]:
    """Links to the other language versions: the original and its translations."""
    versions = [v for v in ctx.versions.get(row.source_article_id or row.article_id, [])
                if v.article_id != row.article_id]
    links = [TranslationLink(v.language, v.url, machine=v.mt_engine is not None)
             for v in sorted(versions, key=lambda v: v.language) if v.language != row.language]
    return links, {v.article_id for v in versions}
