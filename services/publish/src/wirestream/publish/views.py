"""Turn publish's rows into the renderer's view models."""

from __future__ import annotations

from wirestream.common.events import ArticleEnriched

from .models import PublishedArticle, ShownComment
from .render import ArticleView, CommentView, ListItemView, SiteConfig, image_ref, tag_view


def article_path(language: str, article_id: str) -> str:
    return f"/{language}/articles/{article_id}"


def tag_path(language: str, tag_id: str) -> str:
    return f"/{language}/tags/{tag_id}"


def sources_of(event: ArticleEnriched) -> list[str]:
    names = list(event.article.info_sources) or [event.article.agency]
    return [n for i, n in enumerate(names) if n not in names[:i]]


def article_view(row: PublishedArticle, comments: list[ShownComment], *,
                 site: SiteConfig, comments_api: str) -> ArticleView:
    event = ArticleEnriched.model_validate(row.data)
    a = event.article
    language = row.language
    return ArticleView(
        article_id=row.article_id,
        url=row.url,
        language=language,
        headline=a.headline,
        published_at=row.published_at,
        summary=a.summary,
        body_html=a.body_html,
        byline=a.byline,
        sources=sources_of(event),
        updated_at=row.updated_at if event.is_update else None,
        is_updated=event.is_update,
        correction_note=a.correction_note,
        feature_image=image_ref(a.pictures[0]) if a.pictures else None,
        tags=[tag_view(t, language=language, url=tag_path(language, t.id))
              for t in event.tags if t.kind != "keyword"],
        section=a.section,
        urgency=a.urgency,
        comments=[CommentView(comment_id=c.comment_id, author=c.author, body=c.body,
                              posted_at=c.posted_at, parent_id=c.parent_id)
                  for c in comments],
        comment_count=len(comments),
        comments_api=comments_api,
    )


def list_item(row: PublishedArticle) -> ListItemView:
    event = ArticleEnriched.model_validate(row.data)
    a = event.article
    return ListItemView(
        article_id=row.article_id, url=row.url, headline=a.headline, language=row.language,
        published_at=row.published_at, summary=a.summary, sources=sources_of(event),
        section=a.section, image=image_ref(a.pictures[0]) if a.pictures else None,
        updated_at=row.updated_at if event.is_update else None, is_updated=event.is_update,
        urgency=a.urgency,
    )
