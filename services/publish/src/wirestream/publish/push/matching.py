"""Which subscriptions an event goes to: pure functions over facets and filters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["published", "updated", "killed", "story_changed", "comment_approved"]
KINDS: tuple[Kind, ...] = ("published", "updated", "killed", "story_changed",
                           "comment_approved")
DEFAULT_KINDS: tuple[Kind, ...] = ("published", "updated", "killed")
# The ``type`` field of a webhook body, per kind (Standard Webhooks style: noun.verb).
WEBHOOK_TYPES: dict[str, str] = {
    "published": "article.published", "updated": "article.updated",
    "killed": "article.killed", "story_changed": "story.changed",
    "comment_approved": "comment.approved",
}


@dataclass(frozen=True)
class Facets:
    """What an event is about; for a story, the union over its articles."""

    languages: frozenset[str] = frozenset()
    sections: frozenset[str] = frozenset()
    stories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    iptc: frozenset[str] = frozenset()
    urgency: int | None = None  # IPTC: 1 most urgent, 9 least

    def __or__(self, other: Facets) -> Facets:
        urgencies = [u for u in (self.urgency, other.urgency) if u is not None]
        return Facets(self.languages | other.languages, self.sections | other.sections,
                      self.stories | other.stories, self.tags | other.tags,
                      self.iptc | other.iptc, min(urgencies) if urgencies else None)


@dataclass(frozen=True)
class Filters:
    """A webhook subscription's filters: empty lists match anything; lists are any-of."""

    kinds: frozenset[str] = frozenset(DEFAULT_KINDS)
    tags: frozenset[str] = frozenset()
    iptc: frozenset[str] = frozenset()
    sections: frozenset[str] = frozenset()
    stories: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    min_urgency: int | None = None  # deliver urgency <= min_urgency only

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Filters:
        def s(key: str) -> frozenset[str]:
            return frozenset(str(v) for v in data.get(key) or ())

        return cls(kinds=frozenset(data.get("event_types") or DEFAULT_KINDS), tags=s("tags"),
                   iptc=s("iptc"), sections=s("sections"), stories=s("stories"),
                   languages=s("languages"), min_urgency=data.get("min_urgency"))


def _any(wanted: frozenset[str], present: frozenset[str]) -> bool:
    return not wanted or not wanted.isdisjoint(present)


def matches(filters: Filters, kind: str, facets: Facets) -> bool:
    """True when a subscription with ``filters`` wants a ``kind`` event about ``facets``."""
    if kind not in filters.kinds:
        return False
    if filters.min_urgency is not None and (
            facets.urgency is None or facets.urgency > filters.min_urgency):
        return False
    return (_any(filters.tags, facets.tags) and _any(filters.iptc, facets.iptc)
            and _any(filters.sections, facets.sections)
            and _any(filters.stories, facets.stories)
            and _any(filters.languages, facets.languages))


def union(facets: Iterable[Facets]) -> Facets:
    out = Facets()
    for f in facets:
        out = out | f
    return out
