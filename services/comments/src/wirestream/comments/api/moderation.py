"""Moderator routes: the queues, decisions on comments and readers, article settings."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from .. import moderating
from ..articles import live_article, premoderated
from ..errors import Invalid, NotFound
from ..models import KnownArticle, Reader
from ..moderation import ReaderStatus
from ..readers import status_of
from ..staff import Staff
from .context import Context, Moderator
from .schemas import (
    ArticleSettingsIn,
    ArticleSettingsOut,
    CommentOut,
    DecisionIn,
    FeatureIn,
    QueueItem,
    QueuePage,
    ReaderOut,
    ReaderStatusIn,
)

CommentId = Annotated[str, Path(min_length=1, max_length=64)]


def moderation_router(ctx: Context) -> APIRouter:
    router = APIRouter(prefix="/v1/moderation", tags=["moderation"])
    runtime = ctx.runtime

    @router.get("/queue")
    async def queue(
        staff: Moderator,
        kind: Literal["pending", "reported"] = "pending",
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> QueuePage:
        async with runtime.sessions() as session:
            rows, next_cursor = await moderating.queue(session, kind, limit=limit,
                                                       cursor=cursor)
            reasons = await moderating.open_reports(
                session, [c.comment_id for c in rows if c.reports_open])
        items = [QueueItem(**ctx.comment_out(c).model_dump(), author_id=c.author_id,
                           reason=c.reason, reports_open=c.reports_open,
                           report_reasons=reasons.get(c.comment_id, {})) for c in rows]
        return QueuePage(comments=items, next_cursor=next_cursor)

    async def _decide(staff: Staff, comment_id: str, decision: moderating.Decision,
                      reason: str | None) -> CommentOut:
        async with runtime.transaction() as tx:
            comment = await moderating.decide(tx, staff, comment_id, decision, reason=reason,
                                              now=ctx.now())
        ctx.pages.invalidate([comment.article_id])
        await ctx.refresh_pending()
        return ctx.comment_out(comment)

    @router.post("/comments/{comment_id}/approve")
    async def approve(comment_id: CommentId, staff: Moderator) -> CommentOut:
        return await _decide(staff, comment_id, "approve", None)

    @router.post("/comments/{comment_id}/reject")
    async def reject(comment_id: CommentId, body: DecisionIn, staff: Moderator) -> CommentOut:
        if not body.reason or not body.reason.strip():
            raise Invalid("reason-required", "Say why the comment is rejected.",
                          pointer="/reason")
        return await _decide(staff, comment_id, "reject", body.reason.strip())

    @router.post("/comments/{comment_id}/delete")
    async def delete(comment_id: CommentId, body: DecisionIn, staff: Moderator) -> CommentOut:
        return await _decide(staff, comment_id, "delete", body.reason)

    @router.post("/comments/{comment_id}/feature")
    async def feature(comment_id: CommentId, body: FeatureIn, staff: Moderator) -> CommentOut:
        async with runtime.transaction() as tx:
            comment = await moderating.feature(tx, staff, comment_id, featured=body.featured,
                                               now=ctx.now())
        ctx.pages.invalidate([comment.article_id])
        return ctx.comment_out(comment)

    @router.get("/readers/{reader_id}")
    async def reader(reader_id: Annotated[str, Path(max_length=80)],
                     staff: Moderator) -> ReaderOut:
        async with runtime.sessions() as session:
            row = await session.get(Reader, reader_id)
        if row is None:
            raise NotFound("no-such-reader", "No such reader.", pointer="/reader_id")
        return ReaderOut(reader_id=row.reader_id, display_name=row.display_name,
                         status=status_of(row, now=ctx.now()).value)

    @router.put("/readers/{reader_id}/status")
    async def reader_status(reader_id: Annotated[str, Path(max_length=80)],
                            body: ReaderStatusIn, staff: Moderator) -> ReaderOut:
        now = ctx.now()
        if body.status == "suspended" and (body.until is None or body.until <= now):
            raise Invalid("until-required", "A suspension needs an end in the future.",
                          pointer="/until")
        until = body.until if body.status == "suspended" else None
        async with runtime.transaction() as tx:
            row = await moderating.set_reader_status(
                tx.session, staff, reader_id, ReaderStatus(body.status), until=until,
                reason=body.reason, now=now)
        return ReaderOut(reader_id=row.reader_id, display_name=row.display_name,
                         status=body.status)

    def _settings(article: KnownArticle) -> ArticleSettingsOut:
        return ArticleSettingsOut(
            article_id=article.article_id, mode=article.moderation_mode,  # type: ignore[arg-type]
            premoderated=premoderated(article, default=ctx.rules.premoderation),
            closed=article.closed)

    @router.get("/articles/{article_id}")
    async def article_settings(article_id: Annotated[str, Path(max_length=32)],
                               staff: Moderator) -> ArticleSettingsOut:
        async with runtime.sessions() as session:
            return _settings(await live_article(session, article_id))

    @router.put("/articles/{article_id}")
    async def configure(article_id: Annotated[str, Path(max_length=32)],
                        body: ArticleSettingsIn, staff: Moderator) -> ArticleSettingsOut:
        async with runtime.transaction() as tx:
            article = await moderating.configure_article(
                tx.session, staff, article_id, mode=body.mode, closed=body.closed,
                now=ctx.now())
        return _settings(article)

    return router
