"""Comment routes for readers."""

from __future__ import annotations

import binascii
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, field_validator

from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime

from .service import ArticleNotOpen, list_comments, post_comment
from .settings import CommentsSettings


class CommentIn(BaseModel):
    author: str = Field(min_length=1, max_length=80)
    body: str = Field(min_length=1, max_length=5000)
    parent_id: str | None = Field(default=None, max_length=64)

    @field_validator("author", "body")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class CommentOut(BaseModel):
    comment_id: str
    article_id: str
    parent_id: str | None
    author: str
    body: str
    status: str
    created_at: datetime


class CommentPage(BaseModel):
    comments: list[CommentOut]
    next_cursor: str | None


def comments_router(runtime: Runtime, settings: CommentsSettings) -> APIRouter:
    router = APIRouter(prefix="/v1/articles/{article_id}/comments", tags=["comments"])

    @router.post("", status_code=201, response_model=CommentOut)
    async def create(article_id: str, body: CommentIn) -> CommentOut:
        async with runtime.transaction() as tx:
            try:
                c = await post_comment(
                    tx,
                    article_id=article_id,
                    author=body.author,
                    body=body.body,
                    parent_id=body.parent_id,
                    now=datetime.now(UTC),
                )
            except ArticleNotOpen as exc:
                raise Problem(
                    404,
                    "article-not-open",
                    "Article not open for comments",
                    "Unknown, unpublished or closed article.",
                    pointer="/article_id",
                ) from exc
        runtime.metrics.comments.labels(c.status).inc()
        return CommentOut.model_validate(c, from_attributes=True)

    @router.get("", response_model=CommentPage)
    async def read(
        article_id: str,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> CommentPage:
        async with runtime.sessions() as session:
            try:
                page = await list_comments(session, article_id, limit=limit, cursor=cursor)
            except (ValueError, binascii.Error) as exc:
                raise Problem(400, "invalid-cursor", "Invalid cursor", pointer="/cursor") from exc
        return CommentPage(
            comments=[CommentOut.model_validate(c, from_attributes=True) for c in page.comments],
            next_cursor=page.next_cursor,
        )

    return router
