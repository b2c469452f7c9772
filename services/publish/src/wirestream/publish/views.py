"""Turn publish's rows into the renderer's view models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wirestream.common.events import Article, ArticleEnriched

from .models import PublishedArticle, ShownComment, ShownPoll
from .paths import is_segment, tag_path
from .render import (
    ArticleView,
    CommentView,
    ImageRef,
    ListItemView,
    MachineTranslation,
    PollOptionView,
    PollView,
    RelatedLink,
    SiteConfig,
    StoryRef,
    TranslationLink,
    http_url,
    image_ref,
    tag_view,
)


def sources_of(article: Article) -> list[str]:
    names = list(article.info_sources) or [article.agency]
    return [n for i, n in enumerate(names) if n not in names[:i]]


def card_of(event: ArticleEnriched, section: str | None) -> dict[str, Any]:
    """What lists and feeds show of an article, stored so they never parse the whole event."""
    a = event.article
    image = image_ref(a.pictures[0]) if a.pictures else None
    return {"summary": a.summary, "sources": sources_of(a), "section": section,
            "image": list(image) if image else None, "is_update": event.is_update}


def list_item(row: PublishedArticle, story: StoryRef | None = None) -> ListItemView:
    card = row.card or card_of(ArticleEnriched.model_validate(row.data), row.section)
    is_update = bool(card.get("is_update"))
    image = card.get("image")
    if image and not http_url(image[0]):
        image = None  # a card stored before picture URLs were checked
    return ListItemView(
        article_id=row.article_id, url=row.url, headline=row.headline, language=row.language,
        published_at=row.published_at, summary=card.get("summary"),
        sources=card.get("sources") or (), section=card.get("section"),
        image=ImageRef(*image) if image else None,
        updated_at=row.updated_at if is_update else None, is_updated=is_update,
        urgency=row.urgency, story=story,
    )


def poll_view(row: ShownPoll, comments_api: str) -> PollView:
    total = sum(int(o.get("votes", 0)) for o in row.options)
    options = [PollOptionView(str(o["option_id"]), str(o["label"]), int(o.get("votes", 0)),
                              round(100 * int(o.get("votes", 0)) / total) if total else 0)
               for o in row.options]
    vote_url = "" if row.closed or not comments_api else (
        f"{comments_api.rstrip('/')}/v1/polls/{row.poll_id}/votes")
    return PollView(poll_id=row.poll_id, question=row.question, options=options, total=total,
                    closed=row.closed, closes_at=row.closes_at, vote_url=vote_url)


def article_view(row: PublishedArticle, *, comments: Sequence[ShownComment],
                 polls: Sequence[ShownPoll], story: StoryRef | None,
                 related: Sequence[RelatedLink], translations: Sequence[TranslationLink],
                 site: SiteConfig, comments_api: str) -> ArticleView:
    event = ArticleEnriched.model_validate(row.data)
    a = event.article
    language = row.language
    machine = (MachineTranslation(row.mt_engine, row.source_language or "")
               if row.mt_engine else None)
    return ArticleView(
        article_id=row.article_id,
        url=row.url,
        language=language,
        headline=a.headline,
        published_at=row.published_at,
        summary=a.summary,
        body_html=a.body_html,
        byline=a.byline,
        sources=sources_of(a),
        updated_at=row.updated_at if event.is_update else None,
        is_updated=event.is_update,
        correction_note=a.correction_note,
        is_correction=event.is_correction,
        feature_image=image_ref(a.pictures[0]) if a.pictures else None,
        tags=[tag_view(t, language=language, url=tag_path(language, t.id))
              for t in event.tags if t.kind != "keyword" and is_segment(t.id)],
        story=story,
        related=related,
        translations=translations,
        machine_translation=machine,
        section=row.section,
        urgency=a.urgency,
        comments=[CommentView(comment_id=c.comment_id, author=c.author, body=c.body,
                              posted_at=c.posted_at, parent_id=c.parent_id,
                              featured=c.featured)
                  for c in comments],
        comment_count=len(comments),
        comments_api=comments_api,
        polls=[poll_view(p, comments_api) for p in polls],
    )
