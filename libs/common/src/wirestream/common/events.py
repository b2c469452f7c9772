"""Every event that crosses a service boundary.

Events are past-tense facts: frozen pydantic models carrying an ``event_id``
(the idempotency key every consumer dedupes on), ``occurred_at``, a
``schema_version`` and the ``correlation_id`` that follows one wire item
through every service. Fields are added compatibly (with defaults); a breaking
change is a new ``event_type`` or ``schema_version``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


def new_id() -> str:
    """A random, URL-safe identifier for events and correlation ids."""
    return uuid.uuid4().hex


def derived_id(source_event_id: str, stage: str) -> str:
    """A deterministic id for the event a stage emits in answer to ``source_event_id``."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"wirestream:{stage}:{source_event_id}").hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# --- the canonical article -------------------------------------------------


class Rendition(_Frozen):
    href: str
    width: int | None = None
    height: int | None = None
    mimetype: str | None = None
    title: str | None = None


class Picture(_Frozen):
    """A picture associated with an article (the feature image is the first)."""

    uri: str | None = None
    headline: str | None = None
    description: str | None = None
    credit: str | None = None
    renditions: tuple[Rendition, ...] = ()


class Subject(_Frozen):
    """A subject, place or other concept the agency attached to the item."""

    code: str | None = None
    name: str | None = None
    scheme: str | None = None
    uri: str | None = None


class Article(_Frozen):
    """One wire item in canonical form, whatever format the agency sent.

    ``article_id`` is stable across versions of the same agency item
    (derived from agency and ``uri``); ``version`` orders those versions.
    Fields the canonical model lacks are kept in ``extra`` rather than dropped.
    """

    article_id: str
    agency: str
    uri: str
    version: int = 1
    source_format: str = "ninjs"
    version_created: datetime | None = None
    first_created: datetime | None = None
    pub_status: Literal["usable", "withheld", "canceled"] = "usable"
    embargoed_until: datetime | None = None
    urgency: int | None = None
    language: str | None = None
    headline: str
    subheadline: str | None = None
    summary: str | None = None
    body_html: str = ""
    byline: str | None = None
    located: str | None = None
    section: str | None = None
    subjects: tuple[Subject, ...] = ()
    places: tuple[Subject, ...] = ()
    info_sources: tuple[str, ...] = ()
    pictures: tuple[Picture, ...] = ()
    ednote: str | None = None
    correction_note: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class Tag(_Frozen):
    """A tag enrich attached to an article, with labels in every language it knows."""

    kind: Literal["person", "organisation", "place", "topic", "keyword"]
    id: str
    labels: dict[str, str] = Field(default_factory=dict)
    confidence: float = 1.0

    def label(self, language: str | None) -> str:
        if language and language in self.labels:
            return self.labels[language]
        return self.labels.get("en") or next(iter(self.labels.values()), self.id)


# --- events -----------------------------------------------------------------


class Event(_Frozen):
    """Fields every event carries."""

    event_type: str
    schema_version: int = 1
    event_id: str = Field(default_factory=new_id)
    occurred_at: datetime = Field(default_factory=utcnow)
    correlation_id: str = Field(default_factory=new_id)


class ArticleIngested(Event):
    """Ingest accepted the first version of a wire item."""

    event_type: Literal["article.ingested"] = "article.ingested"
    article: Article


class ArticleUpdated(Event):
    """Ingest accepted a higher version of an item it already had."""

    event_type: Literal["article.updated"] = "article.updated"
    article: Article
    previous_version: int
    is_correction: bool = False


class ArticleKilled(Event):
    """The agency cancelled the item: it must disappear everywhere downstream."""

    event_type: Literal["article.killed"] = "article.killed"
    article_id: str
    agency: str
    uri: str
    version: int
    reason: str | None = None


class ArticleEnriched(Event):
    """Enrich detected the language and tagged an article (new or updated)."""

    event_type: Literal["article.enriched"] = "article.enriched"
    article: Article
    language: str
    tags: tuple[Tag, ...] = ()
    is_update: bool = False
    is_correction: bool = False
    story_id: str | None = None
    related: tuple[str, ...] = ()


class ArticleTranslated(Event):
    """Enrich machine-translated an article; the translation is its own article and page.

    ``article`` is the translation (its own ``article_id``, ``language`` and
    ``extra["digitalSourceType"]``); ``source_article_id`` links it to the original.
    """

    event_type: Literal["article.translated"] = "article.translated"
    article: Article
    source_article_id: str
    source_language: str
    engine: str
    machine: bool = True
    tags: tuple[Tag, ...] = ()
    story_id: str | None = None


class StoryChanged(Event):
    """A story (items from many agencies about one event) gained, lost or reordered items."""

    event_type: Literal["story.changed"] = "story.changed"
    story_id: str
    title: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    updated_article_id: str | None = None


class ArticlePublished(Event):
    """Publish rendered an article's page and put it live."""

    event_type: Literal["article.published"] = "article.published"
    article_id: str
    version: int
    language: str
    headline: str
    url: str
    is_update: bool = False
    urgency: int | None = None


class ArticleUnpublished(Event):
    """Publish took a killed article's page down."""

    event_type: Literal["article.unpublished"] = "article.unpublished"
    article_id: str
    url: str


class CommentPosted(Event):
    """A reader posted a comment; ``status`` says whether it is visible yet."""

    event_type: Literal["comment.posted"] = "comment.posted"
    comment_id: str
    article_id: str
    author: str
    body: str
    status: Literal["approved", "pending", "rejected"] = "approved"
    parent_id: str | None = None
    posted_at: datetime = Field(default_factory=utcnow)


class PollOption(_Frozen):
    option_id: str
    label: str
    votes: int = 0


class PollUpdated(Event):
    """A poll was attached, voted in or closed; carries the current results."""

    event_type: Literal["poll.updated"] = "poll.updated"
    poll_id: str
    article_id: str
    question: str
    options: tuple[PollOption, ...]
    closes_at: datetime | None = None
    closed: bool = False


class CommentModerated(Event):
    """A moderator (or the pipeline) decided on a comment, or its author edited it.

    ``body`` is the comment's current text, edits included. ``featured`` says
    whether staff featured it; None means the sender did not say, and then only
    ``reason`` ("featured", "unfeatured") tells.
    """

    event_type: Literal["comment.moderated"] = "comment.moderated"
    comment_id: str
    article_id: str
    status: Literal["approved", "pending", "rejected", "deleted"]
    reason: str | None = None
    author: str | None = None
    body: str | None = None
    posted_at: datetime | None = None
    featured: bool | None = None


ArticleLifecycle = Annotated[
    ArticleIngested | ArticleUpdated | ArticleKilled, Field(discriminator="event_type")
]
EnrichedStreamEvent = Annotated[
    ArticleEnriched | ArticleKilled | ArticleTranslated | StoryChanged,
    Field(discriminator="event_type"),
]
PublishedStreamEvent = Annotated[
    ArticlePublished | ArticleUnpublished, Field(discriminator="event_type")
]
CommentEvent = Annotated[
    CommentPosted | CommentModerated | PollUpdated, Field(discriminator="event_type")
]
AnyEvent = Annotated[
    ArticleIngested
    | ArticleUpdated
    | ArticleKilled
    | ArticleEnriched
    | ArticleTranslated
    | StoryChanged
    | ArticlePublished
    | ArticleUnpublished
    | CommentPosted
    | CommentModerated
    | PollUpdated,
    Field(discriminator="event_type"),
]

ANY_EVENT: TypeAdapter[Any] = TypeAdapter(AnyEvent)
