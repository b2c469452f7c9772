"""What one batch of events changed, collected so each kind of write happens once per batch."""

from __future__ import annotations

from dataclasses import dataclass, field

from wirestream.common.events import Tag

from .keys import Key
from .models import KilledArticle, PublishedArticle


@dataclass
class Changes:
    """``render_now``: articles whose own page goes live in the event's transaction.
    ``keys``: every other page group that shows something that changed.
    ``stories``: stories whose pages (in every language) show something that changed;
    ``moved``: the net number of items each story gained (or lost, negative), and
    ``retitled``: stories whose title changed; with either, the story's members' pages
    change when the story box appears, disappears or is renamed.
    ``tags``: the page tags to store per article; ``rows``: the batch's article rows;
    ``kills``: the tombstones of the batch's articles (:mod:`wirestream.common.kills`)."""


    render_now: set[str] = field(default_factory=set)
    keys: set[Key] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    moved: dict[str, int] = field(default_factory=dict)
    retitled: set[str] = field(default_factory=set)
    tags: dict[str, list[Tag]] = field(default_factory=dict)
    rows: dict[str, PublishedArticle] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # new this batch: nothing hangs off them
    kills: dict[str, KilledArticle] = field(default_factory=dict)  # the batch's tombstones

    def story(self, story_id: str | None, *, moved: int = 0, retitled: bool = False) -> None:
        if story_id:
            self.stories.add(story_id)
            self.moved[story_id] = self.moved.get(story_id, 0) + moved
            if retitled:
                self.retitled.add(story_id)
