"""Stories in enrich's database, with the clusterer that assigns them kept in step.

The state is two tables rather than the clusterer's ``to_dict`` in one row:
``story_members`` holds one row per article (its story, tags and MinHash
signature, 256 bytes) and ``stories`` one row per announced story. A batch
therefore writes rows in proportion to its own size, whatever the window
holds; a serialised clusterer would rewrite the whole window (thousands of
signatures) on every batch and could not be shared by replicas.

The in-memory :class:`StoryClusterer` is a cache of the members in the
window. :meth:`StoryBook.begin` locks the ``stories`` counter row for the
rest of the transaction, so replicas assign stories one batch at a time, and
replays the member rows other replicas changed since (their ``seq`` is
higher). A batch that fails leaves the cache ahead of the database, so the
caller calls :meth:`StoryBook.invalidate` and the next batch reloads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from wirestream.common.events import Article

from .models import Counter, Story, StoryMember
from .stories_view import StoryView, published_at
from .text.stories import StoryClusterer

STORIES_COUNTER = "stories"


def _signature(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.uint32).copy()


class StoryBook:
    """Assigns articles to stories and decides when a story is announced."""

    def __init__(self, *, window: timedelta, related_count: int = 5, min_items: int = 2,
                 max_items: int | None = None) -> None:
        self.window = window
        self.max_items = max_items
        self.related_count = related_count
        self.min_items = min_items
        self._clusterer: StoryClusterer | None = None
        self._seq = 0
        self._begun_at = 0
        self._members: dict[str, StoryMember | None] = {}
        self._singles: set[str] = set()  # stories this batch started, still of one item

    def invalidate(self) -> None:
        """Forget the cache (after a rolled-back batch); the next batch reloads it."""
        self._clusterer = None

    async def begin(self, session: AsyncSession, article_ids: Iterable[str] = ()) -> None:
        """Lock the story counter for this transaction and catch up with other replicas.

        The member rows of ``article_ids`` (the batch's articles) are read in one query.
        """
        value = await session.scalar(sa.select(Counter.value)
                                     .where(Counter.name == STORIES_COUNTER).with_for_update())
        if value is None:
            session.add(Counter(name=STORIES_COUNTER, value=0))
            value = 0
        if self._clusterer is None:
            self._clusterer = await self._load(session)
        elif value > self._seq:
            await self._replay(session, self._clusterer, since=self._seq)
        self._seq = self._begun_at = value
        ids = list(article_ids)
        self._members = dict.fromkeys(ids)
        self._singles = set()
        if ids:
            self._members.update((m.article_id, m) for m in await session.scalars(
                sa.select(StoryMember).where(StoryMember.article_id.in_(ids))))

    async def finish(self, session: AsyncSession) -> None:
        if self._seq != self._begun_at:
            await session.execute(sa.update(Counter).where(Counter.name == STORIES_COUNTER)
                                  .values(value=self._seq))

    async def place(self, session: AsyncSession, article: Article, *, text: str,
                    tag_ids: set[str], language: str, now: datetime) -> tuple[str, list[str]]:
        """The article's story (an existing one, or its own) and its most related articles."""
        clusterer = self._require()
        aid = article.article_id
        row = await self._member(session, aid)
        at = published_at(article, row.published_at if row else now)
        member = row if row is not None and not row.removed else None
        story = clusterer.assign(aid, text, tag_ids, at)
        if member is not None and story != member.story_id:
            # Its story was decided when it first came (maybe outside today's window): keep it.
            story = member.story_id
            clusterer.restore(aid, story, at, tag_ids, clusterer.hashvalues(aid))
        if row is None and story == f"story:{aid}":
            self._singles.add(story)
        else:
            self._singles.discard(story)
        values = clusterer.hashvalues(aid)
        self._seq += 1
        fields = {"story_id": story, "agency": article.agency, "language": language,
                  "headline": article.headline, "published_at": at, "tags": sorted(tag_ids),
                  "minhash": None if values is None else values.astype(np.uint32).tobytes(),
                  "removed": False, "seq": self._seq}
        if row is None:
            session.add(member := StoryMember(article_id=aid, **fields))
            self._members[aid] = member
        else:
            for key, value in fields.items():
                setattr(row, key, value)
        return story, clusterer.related(aid, self.related_count)

    async def remove(self, session: AsyncSession, article_id: str) -> str | None:
        """Take a killed article out of its story; returns the story it was in."""
        member = await self._member(session, article_id)
        if member is None or member.removed:
            return None
        self._require().forget(article_id)
        self._seq += 1
        member.removed, member.seq = True, self._seq
        return member.story_id

    async def announce(self, session: AsyncSession, story_id: str,
                       now: datetime) -> StoryView | None:
        """The story as it now stands, if readers should hear of it (else None).

        A story is shown once it has ``min_items`` items; every change to what
        is shown (items, order, title) is announced, including dropping below
        ``min_items`` so that downstream can take the story down.
        """
        if story_id in self._singles and self.min_items > 1:
            return None  # started by this batch and still alone: nothing to show yet
        rows = (await session.execute(
            sa.select(StoryMember.article_id, StoryMember.agency, StoryMember.language,
                      StoryMember.headline)
            .where(StoryMember.story_id == story_id, StoryMember.removed.is_(False))
            .order_by(StoryMember.published_at, StoryMember.article_id))).all()
        story = await session.get(Story, story_id)
        view = StoryView(
            story_id=story_id,
            title=rows[0].headline if rows else (story.title if story else ""),
            article_ids=tuple(r.article_id for r in rows),
            sources=tuple(dict.fromkeys(r.agency for r in rows)),
            languages=tuple(dict.fromkeys(r.language for r in rows)))
        digest = view.digest() if len(rows) >= self.min_items else ""
        if story is None:
            if not digest:
                return None
            story = Story(story_id=story_id, title=view.title, size=0, digest="",
                          created_at=now, updated_at=now)
            session.add(story)
        if digest == story.digest:
            return None
        story.title, story.size, story.digest, story.updated_at = (
            view.title, len(rows), digest, now)
        return view

    # --- the cache ----------------------------------------------------------------

    async def _member(self, session: AsyncSession, article_id: str) -> StoryMember | None:
        if article_id in self._members:  # read (or created) in this batch
            return self._members[article_id]
        return await session.get(StoryMember, article_id)

    def _require(self) -> StoryClusterer:
        if self._clusterer is None:
            raise RuntimeError("StoryBook.begin() must be called first in the transaction")
        return self._clusterer

    async def _load(self, session: AsyncSession) -> StoryClusterer:
        clusterer = StoryClusterer(window=self.window, max_items=self.max_items)
        live = StoryMember.removed.is_(False)
        newest = await session.scalar(sa.select(sa.func.max(StoryMember.published_at))
                                      .where(live))
        if newest is not None:
            await self._apply(session, clusterer, live,
                              StoryMember.published_at >= newest - self.window)
        return clusterer

    async def _replay(self, session: AsyncSession, clusterer: StoryClusterer, *,
                      since: int) -> None:
        await self._apply(session, clusterer, StoryMember.seq > since)

    @staticmethod
    async def _apply(session: AsyncSession, clusterer: StoryClusterer,
                     *where: sa.ColumnElement[bool]) -> None:
        m = StoryMember
        result = await session.execute(
            sa.select(m.article_id, m.story_id, m.published_at, m.tags, m.minhash, m.removed)
            .where(*where).order_by(m.seq))
        for r in result:
            if r.removed:
                clusterer.forget(r.article_id)
            else:
                clusterer.restore(r.article_id, r.story_id, r.published_at, set(r.tags),
                                  _signature(r.minhash))
