"""Group articles about the same event into stories, in memory.

Two signals, both limited to a time window:

* text: MinHash over word shingles of the folded text (its first 2000
  characters) finds near-duplicates (the same wire copy re-sent, lightly
  rewritten, or updated);
* tags: articles naming the same people or organisations *and* the same
  places, with most of their named entities in common, are about the same
  event even across languages (an Arabic RT item and an English Xinhua item
  on the same phone call).

Middling text similarity plus two shared entities also joins. The state is
plain data (:meth:`StoryClusterer.to_dict`) so the service can persist it.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from datasketch import MinHash

from wirestream.common.textnorm import tokenize, word_variants
from wirestream.enrich.text.bands import BandIndex
from wirestream.enrich.text.wordcache import WordCache

ACTOR_PREFIXES = ("person:", "org:")
ENTITY_PREFIXES = (*ACTOR_PREFIXES, "place:")
_SCHEME = "affine32"
TEXT_CHARS = 2000  # of an article's text go into its MinHash (~300 words)


def _canonical_of(token: str) -> str:
    # One spelling per word, so "والرئيس" and "الرئيس" make the same shingle.
    return min(word_variants(token), key=lambda v: (len(v), v))


_canonical = WordCache(_canonical_of, size=50_000)  # bounded like matcher._token_info


def shingles(text: str, size: int = 3) -> set[bytes]:
    """The word ``size``-grams of ``text``, folded and clitic-stripped."""
    words = [_canonical(t) for t in tokenize(text)]
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(slots=True)
class _Item:
    story: str
    published_at: datetime
    tags: frozenset[str]
    minhash: MinHash | None
    entities: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.entities = frozenset(t for t in self.tags if t.startswith(ENTITY_PREFIXES))


class StoryClusterer:
    """Assigns each article to a story: an existing one it belongs to, or a new one."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=48),
        text_threshold: float = 0.5,
        assist_threshold: float = 0.2,
        tag_threshold: float = 0.5,
        num_perm: int = 64,
        shingle_size: int = 3,
        max_items: int | None = None,
    ) -> None:
        self.window = window
        # Memory grows with the articles in the window (~5 KB each, most of it the band
        # index); past ``max_items`` the oldest leave early, so a busy wire stays bounded.
        self.max_items = max_items
        self.text_threshold = text_threshold
        self.assist_threshold = assist_threshold
        self.tag_threshold = tag_threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self._lsh = BandIndex(threshold=assist_threshold, num_perm=num_perm)
        self._blank = MinHash(num_perm=num_perm, scheme=_SCHEME)
        self._items: dict[str, _Item] = {}
        self._by_actor: dict[str, set[str]] = {}
        self._stories: dict[str, set[str]] = {}
        self._expiry: list[tuple[datetime, str]] = []
        self._newest: datetime | None = None

    def __len__(self) -> int:
        return len(self._items)

    def story_of(self, article_id: str) -> str | None:
        """The story an article was assigned to, if it is still in the window."""
        item = self._items.get(article_id)
        return item.story if item else None

    def assign(self, article_id: str, text: str, tag_ids: set[str], published_at: datetime) -> str:
        """Place the article in a story and return the story id.

        A new story is named ``story:<article_id>``. An article assigned
        again (a new version) keeps its story and has its text and tags
        refreshed.
        """
        published_at = _utc(published_at)
        minhash = self._minhash(text)
        tags = frozenset(tag_ids)
        old = self._items.get(article_id)
        if old is not None:
            self.forget(article_id)
            story = old.story
        else:
            scores = self._scores(article_id, minhash, tags, published_at)
            best = max(scores.items(), key=lambda kv: (kv[1], kv[0]), default=None)
            if best is not None and best[1] >= 1.0:
                story = self._items[best[0]].story
            else:
                story = f"story:{article_id}"
        self._add(article_id, _Item(story, published_at, tags, minhash))
        self._evict()
        return story

    def related(self, article_id: str, k: int = 5) -> list[str]:
        """Up to ``k`` other articles: same story first (closest in time), then similar ones."""
        item = self._items.get(article_id)
        if item is None:
            return []
        same = sorted(
            (a for a in self._stories.get(item.story, ()) if a != article_id),
            key=lambda a: (abs(self._items[a].published_at - item.published_at), a),
        )
        others = self._scores(article_id, item.minhash, item.tags, item.published_at)
        ranked = sorted(set(others) - set(same), key=lambda a: (-others[a], a))
        return (same + ranked)[:k]

    def restore(self, article_id: str, story: str, published_at: datetime, tag_ids: set[str],
                hashvalues: np.ndarray | None) -> None:
        """Put back an article whose story is already known (state kept outside, e.g. a table)."""
        self.forget(article_id)
        minhash = None if hashvalues is None else MinHash(
            hashvalues=hashvalues, scheme=_SCHEME, permutations=self._blank.permutations)
        self._add(article_id, _Item(story, _utc(published_at), frozenset(tag_ids), minhash))
        self._evict()

    def hashvalues(self, article_id: str) -> np.ndarray | None:
        """The MinHash signature of an article in the window (what :meth:`restore` takes)."""
        item = self._items.get(article_id)
        return None if item is None or item.minhash is None else item.minhash.hashvalues

    def forget(self, article_id: str) -> None:
        """Drop an article (killed, or expired) from every index."""
        item = self._items.pop(article_id, None)
        if item is None:
            return
        if item.minhash is not None:
            self._lsh.remove(article_id)
        for tag in item.tags:
            if tag.startswith(ACTOR_PREFIXES):
                self._by_actor.get(tag, set()).discard(article_id)
        members = self._stories.get(item.story, set())
        members.discard(article_id)
        if not members:
            self._stories.pop(item.story, None)

    # --- scoring ---------------------------------------------------------------

    def _scores(
        self, article_id: str, minhash: MinHash | None, tags: frozenset[str], at: datetime
    ) -> dict[str, float]:
        """Score >= 1 means "same story"; lower scores only rank related articles."""
        ids = self._lsh.query(minhash.hashvalues) if minhash is not None else set()
        for tag in tags:
            if tag.startswith(ACTOR_PREFIXES):
                ids |= self._by_actor.get(tag, set())
        ids.discard(article_id)
        near = [(i, self._items[i]) for i in sorted(ids)]
        near = [(i, item) for i, item in near if abs(item.published_at - at) <= self.window]
        texts = self._similarities(minhash, [item.minhash for _, item in near])
        mine = frozenset(t for t in tags if t.startswith(ENTITY_PREFIXES))
        # Sorted by kind once here rather than prefix tests on every shared tag: the window
        # can hold thousands of candidates sharing one person.
        my_actors = frozenset(t for t in mine if t.startswith(ACTOR_PREFIXES))
        my_places = frozenset(t for t in mine if t.startswith("place:"))
        scores = {}
        for (other_id, other), text in zip(near, texts, strict=True):
            if mine.isdisjoint(other.entities):
                same = text >= self.text_threshold
                score = float(same) + (text + 0.0) / 2
            else:
                shared = mine & other.entities
                tag_j = len(shared) / len(mine | other.entities)
                same = (
                    text >= self.text_threshold
                    or (
                        tag_j >= self.tag_threshold
                        and not my_actors.isdisjoint(shared)
                        and not my_places.isdisjoint(shared)
                    )
                    or (text >= self.assist_threshold and len(shared) >= 2)
                )
                score = float(same) + (text + tag_j) / 2
            if score > 0:
                scores[other_id] = score
        return scores

    @staticmethod
    def _similarities(minhash: MinHash | None, others: list[MinHash | None]) -> list[float]:
        """Estimated Jaccard similarity to each of ``others``, in one numpy comparison."""
        sims = [0.0] * len(others)
        present = [(k, o.hashvalues) for k, o in enumerate(others) if o is not None]
        if minhash is None or not present:
            return sims
        matrix = np.stack([values for _, values in present])
        for (k, _), sim in zip(present, (matrix == minhash.hashvalues).mean(axis=1), strict=True):
            sims[k] = float(sim)
        return sims

    # --- bookkeeping -----------------------------------------------------------

    def _minhash(self, text: str) -> MinHash | None:
        # The lead decides: rewrites and updates keep it, later paragraphs add
        # background; hashing only the start halves the cost of this step.
        grams = shingles(text[:TEXT_CHARS], self.shingle_size)
        if not grams:
            return None
        minhash = self._blank.copy()  # copying skips regenerating the permutations
        minhash.update_batch(list(grams))
        return minhash

    def _add(self, article_id: str, item: _Item) -> None:
        self._items[article_id] = item
        if item.minhash is not None:
            self._lsh.insert(article_id, item.minhash.hashvalues)
        for tag in item.tags:
            if tag.startswith(ACTOR_PREFIXES):
                self._by_actor.setdefault(tag, set()).add(article_id)
        self._stories.setdefault(item.story, set()).add(article_id)
        heapq.heappush(self._expiry, (item.published_at, article_id))
        if self._newest is None or item.published_at > self._newest:
            self._newest = item.published_at

    def _evict(self) -> None:
        if self._newest is None:
            return
        cutoff = self._newest - self.window
        while self._expiry and (
            self._expiry[0][0] < cutoff
            or (self.max_items is not None and len(self._items) > self.max_items)
        ):
            at, article_id = heapq.heappop(self._expiry)
            item = self._items.get(article_id)
            if item is not None and item.published_at == at:  # else a stale heap entry
                self.forget(article_id)

    # --- persistence -----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state: settings and every article still in the window."""
        return {
            "version": 1,
            "settings": {
                "window_seconds": self.window.total_seconds(),
                "text_threshold": self.text_threshold,
                "assist_threshold": self.assist_threshold,
                "tag_threshold": self.tag_threshold,
                "num_perm": self.num_perm,
                "shingle_size": self.shingle_size,
            },
            "articles": [
                {
                    "id": article_id,
                    "story": item.story,
                    "published_at": item.published_at.isoformat(),
                    "tags": sorted(item.tags),
                    "minhash": None
                    if item.minhash is None
                    else [int(v) for v in item.minhash.hashvalues],
                }
                for article_id, item in sorted(
                    self._items.items(), key=lambda kv: kv[1].published_at
                )
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryClusterer:
        """Rebuild a clusterer from :meth:`to_dict` output."""
        if data.get("version") != 1:
            raise ValueError(f"unsupported story state version {data.get('version')!r}")
        s = data["settings"]
        clusterer = cls(
            window=timedelta(seconds=s["window_seconds"]),
            text_threshold=s["text_threshold"],
            assist_threshold=s["assist_threshold"],
            tag_threshold=s["tag_threshold"],
            num_perm=s["num_perm"],
            shingle_size=s["shingle_size"],
        )
        for a in data["articles"]:
            values = a["minhash"]
            minhash = None if values is None else MinHash(hashvalues=values, scheme=_SCHEME)
            at = _utc(datetime.fromisoformat(a["published_at"]))
            clusterer._add(a["id"], _Item(a["story"], at, frozenset(a["tags"]), minhash))
        return clusterer
