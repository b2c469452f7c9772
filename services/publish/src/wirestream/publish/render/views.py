"""View models: the plain, already-decided data the templates render.

The service layer builds these from its own rows; the renderer never touches a
database, the bus or the clock. Small tuple-like values are ``NamedTuple``s, so
a plain tuple in the same order (``("RT", "/ar/...")``) works just as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from wirestream.common.events import Picture, Tag


class ImageRef(NamedTuple):
    """A picture to show: ``src`` URL, ``alt`` text and an optional credit line."""

    src: str
    alt: str
    credit: str | None = None


class StoryRef(NamedTuple):
    """The story (cluster of related items) an article belongs to."""

    id: str
    title: str
    url: str
    item_count: int


class RelatedLink(NamedTuple):
    headline: str
    url: str


class TranslationLink(NamedTuple):
    """Another language version of the same article."""

    language: str
    url: str
    machine: bool = False


class MachineTranslation(NamedTuple):
    """Set on an article that is itself a machine translation."""

    engine: str
    source_language: str


@dataclass(frozen=True, slots=True)
class TagView:
    """A tag with its label already chosen for the page language."""

    kind: str
    id: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class CommentView:
    """An approved reader comment. ``body`` is plain text and is always escaped;
    ``featured``: staff picked it out."""

    comment_id: str
    author: str
    body: str
    posted_at: datetime
    parent_id: str | None = None
    featured: bool = False


class PollOptionView(NamedTuple):
    option_id: str
    label: str
    votes: int
    percent: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PollView:
    """A poll's current results; ``vote_url`` is set while it is open."""

    poll_id: str
    question: str
    options: Sequence[PollOptionView]
    total: int
    closed: bool = False
    closes_at: datetime | None = None
    vote_url: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleView:
    """Everything the article page shows. ``body_html`` is sanitised upstream and trusted."""

    article_id: str
    url: str
    language: str
    headline: str
    published_at: datetime
    dir: str = ""  # "rtl" / "ltr"; empty means derive it from ``language``
    summary: str | None = None
    body_html: str = ""
    byline: str | None = None
    sources: Sequence[str] = ()
    updated_at: datetime | None = None
    is_updated: bool = False
    correction_note: str | None = None
    is_correction: bool = False
    feature_image: ImageRef | None = None
    tags: Sequence[TagView] = ()
    story: StoryRef | None = None
    related: Sequence[RelatedLink] = ()
    translations: Sequence[TranslationLink] = ()
    machine_translation: MachineTranslation | None = None
    section: str | None = None
    urgency: int | None = None
    comments: Sequence[CommentView] = ()
    comment_count: int = 0
    comments_api: str = ""
    polls: Sequence[PollView] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItemView:
    """One article in a list page, a feed or the sitemap."""

    article_id: str
    url: str
    headline: str
    language: str
    published_at: datetime
    summary: str | None = None
    sources: Sequence[str] = ()
    section: str | None = None
    image: ImageRef | None = None
    updated_at: datetime | None = None
    is_updated: bool = False
    urgency: int | None = None
    story: StoryRef | None = None


DEFAULT_SECTIONS = ("world", "politics", "business", "technology", "science", "sport", "culture")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Site-wide settings. Paths are ``str.format`` patterns; URLs may be relative."""

    site_name: str
    base_url: str
    default_language: str = "en"
    languages: tuple[str, ...] = ("en", "ar")
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    home_path: str = "/{language}/"
    section_path: str = "/{language}/section/{name}"
    feed_path: str = "/{language}/feed.atom"
    sitemap_path: str = "/sitemap-news.xml"
    static_url: str = "/static"
    live_url: str = "/live"
    arabic_indic_digits: bool = False

    def absolute(self, url: str) -> str:
        """``url`` resolved against ``base_url`` (absolute URLs pass through)."""
        if url.startswith("/") and not url.startswith("//"):  # the common case, cheaply
            return self.base_url.rstrip("/") + url
        return urljoin(self.base_url.rstrip("/") + "/", url)

    def home_url(self, language: str) -> str:
        return self.home_path.format(language=language)

    def section_url(self, name: str, language: str) -> str:
        return self.section_path.format(language=language, name=name)

    def feed_url(self, language: str) -> str:
        return self.feed_path.format(language=language)


def tag_view(tag: Tag, *, language: str, url: str) -> TagView:
    """A ``TagView`` labelled in ``language`` (falling back as ``Tag.label`` does)."""
    return TagView(kind=tag.kind, id=tag.id, label=tag.label(language), url=url)


_URL_EDGE = "".join(map(chr, range(0x21)))  # C0 controls and space: browsers strip them
_URL_TABS = re.compile("[\t\n\r]")  # and drop these anywhere in a URL


def http_url(url: str | None) -> str | None:
    """``url`` if a browser fetches it over http(s) (absolute, or relative to the site),
    cleaned as a browser would; None for ``javascript:``, ``data:`` and any other scheme.
    Agency feeds are not trusted to send only image URLs."""
    cleaned = _URL_TABS.sub("", (url or "").strip(_URL_EDGE))
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if not cleaned or parts.scheme.lower() not in ("", "http", "https"):
        return None
    return cleaned


def image_ref(picture: Picture) -> ImageRef | None:
    """The feature image for a ``Picture``: its widest http(s) rendition, else its URI."""
    renditions = sorted(picture.renditions, key=lambda r: r.width or 0, reverse=True)
    src = next(filter(None, (http_url(r.href) for r in renditions)), None) \
        or http_url(picture.uri)
    if not src:
        return None
    alt = picture.description or picture.headline or ""
    return ImageRef(src=src, alt=alt, credit=picture.credit)


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; naive values are taken to be UTC already."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry (one bad byte
    in a wire headline must not break a whole feed or sitemap)."""
    return _XML_INVALID.sub("", text)
