"""List pages (front pages, sections, tags, stories), their feeds, and the news sitemap.

A :class:`Listing` is what one list shows; its page is rendered when it changes
(by the builder, or with the article for front pages) and its feeds from the
same listing when they are asked for (see :mod:`.feedcache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from . import stories
from .keys import Key
from .models import ArticleTag, PublishedArticle, Story, TagLabel
from .pagestore import PageOut
from .paths import FEED_TYPES, SITEMAP, XML, home_path, section_path, story_path, tag_path
from .render import ListItemView, TagView, atom_feed, json_feed, news_sitemap, rss_feed
from .render.i18n import Translator
from .render.sitemap import MAX_URLS, NEWS_WINDOW
from .site import Site
from .views import list_item

A = PublishedArticle
LIVE = A.state == "live"


@dataclass
class Listing:
    key: Key
    path: str
    language: str  # the page language ("" for the all-language front page)
    title: str
    items: list[ListItemView]
    sources: list[str] = field(default_factory=list)
    tag: TagView | None = None


def _cards():  # type: ignore[no-untyped-def]
    return sa.select(A).options(defer(A.data)).where(LIVE)


async def _items(session: AsyncSession, rows: list[PublishedArticle],
                 language: str) -> list[ListItemView]:
    for row in rows:
        if row.card is None:  # stored before cards existed
            await session.refresh(row, ["data"])
    refs = await stories.story_refs(session, {r.story_id for r in rows if r.story_id}, language)
    return [list_item(r, refs.get(r.story_id or "")) for r in rows]


async def _latest(session: AsyncSession, query: sa.Select, limit: int) -> list[PublishedArticle]:
    return list((await session.scalars(
        query.order_by(A.published_at.desc(), A.article_id).limit(limit))).all())


async def listing(session: AsyncSession, key: Key, *, site: Site) -> Listing:
    """What the list ``key`` shows now; a list of something gone is empty, not an error."""
    lang, name = key.language, key.name
    if key.kind == "home":
        query = _cards().where(A.language == lang) if lang else _cards()
        rows = await _latest(session, query, site.home_size)
        items = await _items(session, rows, lang or site.config.default_language)
        return Listing(key, home_path(lang), lang, site.config.site_name, items)
    if key.kind == "section":
        rows = await _latest(session, _cards().where(A.language == lang, A.section == name),
                             site.list_size)
        return Listing(key, section_path(lang, name), lang,
                       Translator(lang).label("section", name), await _items(session, rows, lang))
    if key.kind == "tag":
        tagged = sa.select(ArticleTag.article_id).where(ArticleTag.tag_id == name)
        rows = await _latest(session, _cards().where(A.language == lang,
                                                     A.article_id.in_(tagged)), site.list_size)
        label = await session.get(TagLabel, name)
        path = tag_path(lang, name)
        tag = TagView(label.kind if label else "topic", name, _label(label, lang, name), path)
        return Listing(key, path, lang, tag.label, await _items(session, rows, lang), tag=tag)
    if key.kind == "story":
        rows = stories.items_for(await stories.members(session, name), lang)
        items = await _items(session, rows, lang)
        story = await session.get(Story, name)
        title = (story.title if story else "") or (rows[0].headline if rows else name)
        sources = list(story.sources) if story and story.sources else \
            list(dict.fromkeys(s for i in items for s in i.sources))
        return Listing(key, story_path(lang, name), lang, title, items, sources)
    raise ValueError(f"not a list key: {key.text}")


async def render_list(session: AsyncSession, key: Key, *, site: Site,
                      now: datetime) -> list[PageOut]:
    """The page of one list key (or the sitemap)."""
    if key.kind == "sitemap":
        return [await _sitemap(session, site, now)]
    found = await listing(session, key, site=site)
    r, lang, items = site.renderer, found.language, found.items
    if key.kind == "home":
        top = [i for i in items if i.urgency is not None and i.urgency <= 3][:5]
        html = r.home(items, top, lang or site.config.default_language)
    elif key.kind == "section":
        html = r.section(key.name, items, lang)
    elif key.kind == "tag" and found.tag is not None:
        html = r.tag(found.tag, items, lang)
    else:
        html = r.story(found.title, items, found.sources, lang, url=found.path)
    return [PageOut(found.path, html)]


def render_feed(found: Listing, ext: str, self_url: str, *, site: Site) -> PageOut:
    """One feed (``atom``, ``rss`` or ``json``) of a listing, newest item first."""
    items = sorted(found.items, key=lambda i: i.published_at, reverse=True)
    brand = site.config.site_name
    title = brand if found.key.kind == "home" else f"{found.title} — {brand}"
    kw = {"site": site.config, "title": title, "language": found.language,
          "self_url": self_url}
    if ext == "atom":
        body = atom_feed(items, **kw).decode()  # type: ignore[arg-type]
    elif ext == "rss":
        body = rss_feed(items, **kw).decode()  # type: ignore[arg-type]
    else:
        body = json_feed(items, **kw)  # type: ignore[arg-type]
    return PageOut(self_url, body, FEED_TYPES[ext])


def _label(tag: TagLabel | None, language: str, fallback: str) -> str:
    if tag is None:
        return fallback
    labels = tag.labels or {}
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), fallback)


async def _sitemap(session: AsyncSession, site: Site, now: datetime) -> PageOut:
    rows = await _latest(session, _cards().where(A.published_at >= now - NEWS_WINDOW),
                         MAX_URLS)
    items = [list_item(r) for r in rows] if all(r.card is not None for r in rows) \
        else await _items(session, rows, "")
    return PageOut(SITEMAP, news_sitemap(items, site=site.config, now=now).decode(), XML)
