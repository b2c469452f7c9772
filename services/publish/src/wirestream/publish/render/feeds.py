"""Atom, RSS 2.0 and JSON Feed 1.1 documents for a list of articles.

Items are rendered in the order given (newest first, by convention). Killed
articles are simply not passed in. Item ids are the articles' absolute URLs,
so those URLs should stay stable for an article across its versions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator

from wirestream.publish.render.jsonld import iso
from wirestream.publish.render.views import ListItemView, SiteConfig, as_utc, xml_safe

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _newest(items: Sequence[ListItemView]) -> datetime | None:
    stamps = [as_utc(i.updated_at or i.published_at) for i in items]
    return max(stamps, default=None)


def _generator(
    items: Sequence[ListItemView],
    *,
    site: SiteConfig,
    title: str,
    language: str,
    self_url: str,
    updated: datetime | None,
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # RSS <author> needs an email; dc:creator not
    fg.id(site.absolute(self_url))
    fg.title(xml_safe(title))
    fg.description(xml_safe(title))
    fg.language(language)
    fg.author({"name": site.site_name})
    fg.generator("Wirestream")
    fg.link(href=site.absolute(self_url), rel="self")
    # feedgen takes RSS <channel><link> from the last link set: the site, not the feed.
    fg.link(href=site.absolute(site.home_url(language)), rel="alternate")
    stamp = updated or _newest(items)
    if stamp is not None:  # otherwise feedgen falls back to the current time
        fg.updated(as_utc(stamp))
        fg.lastBuildDate(as_utc(stamp))
    for item in items:
        url = site.absolute(item.url)
        fe = fg.add_entry(order="append")
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(xml_safe(item.headline))
        fe.link(href=url, rel="alternate", hreflang=item.language)
        fe.published(as_utc(item.published_at))
        fe.updated(as_utc(item.updated_at or item.published_at))
        if item.summary:
            fe.summary(xml_safe(item.summary))
        if item.sources:
            fe.author([{"name": s} for s in item.sources])
            fe.dc.dc_creator(" + ".join(item.sources))
        if item.section:
            fe.category(term=item.section)
    return fg


def atom_feed(
    items: Sequence[ListItemView],
    *,
    site: SiteConfig,
    title: str,
    language: str,
    self_url: str,
    updated: datetime | None = None,
) -> bytes:
    """An Atom 1.0 document (UTF-8 bytes). ``updated`` defaults to the newest item."""
    fg = _generator(
        items, site=site, title=title, language=language, self_url=self_url, updated=updated
    )
    return bytes(fg.atom_str(pretty=True))


def rss_feed(
    items: Sequence[ListItemView],
    *,
    site: SiteConfig,
    title: str,
    language: str,
    self_url: str,
    updated: datetime | None = None,
) -> bytes:
    """An RSS 2.0 document (UTF-8 bytes) with an ``atom:link rel=self``."""
    fg = _generator(
        items, site=site, title=title, language=language, self_url=self_url, updated=updated
    )
    return bytes(fg.rss_str(pretty=True))


def json_feed(
    items: Sequence[ListItemView],
    *,
    site: SiteConfig,
    title: str,
    language: str,
    self_url: str,
) -> str:
    """A JSON Feed 1.1 document (serve as ``application/feed+json``)."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": site.absolute(site.home_url(language)),
        "feed_url": site.absolute(self_url),
        "language": language,
        "authors": [{"name": site.site_name}],
        "items": [_json_item(item, site) for item in items],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _json_item(item: ListItemView, site: SiteConfig) -> dict[str, Any]:
    url = site.absolute(item.url)
    out: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": item.headline,
        "content_text": item.summary or item.headline,
        "date_published": iso(item.published_at),
        "date_modified": iso(item.updated_at or item.published_at),
        "language": item.language,
    }
    if item.summary:
        out["summary"] = item.summary
    if item.sources:
        out["authors"] = [{"name": s} for s in item.sources]
    if item.section:
        out["tags"] = [item.section]
    if item.image:
        out["image"] = site.absolute(item.image[0])
    return out
