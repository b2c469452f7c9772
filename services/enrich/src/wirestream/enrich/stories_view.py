"""What readers see of a story, and the StoryChanged that tells them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from wirestream.common.events import Article, StoryChanged, derived_id


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as readers see it: the first item's headline, items oldest first."""

    story_id: str
    title: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]
    languages: tuple[str, ...]

    def digest(self) -> str:
        data = [self.title, self.article_ids, self.sources, self.languages]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    def event(self, *, source_event_id: str, correlation_id: str,
              updated_article_id: str) -> StoryChanged:
        return StoryChanged(
            event_id=derived_id(source_event_id, f"enrich:story:{self.story_id}"),
            correlation_id=correlation_id, story_id=self.story_id, title=self.title,
            article_ids=self.article_ids, sources=self.sources, languages=self.languages,
            updated_article_id=updated_article_id)


def published_at(article: Article, fallback: datetime) -> datetime:
    moment = article.first_created or article.version_created or fallback
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
