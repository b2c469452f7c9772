"""Reader routes for comments: post, list, edit, delete, react, report."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from ..actions import delete_own, edit_comment, react, report, unreact
from ..errors import Rejected
from ..listing import list_comments, reaction_counts
from ..models import Comment
from ..moderation import ModerationResult
from .context import Context
from .schemas import (
    CommentIn,
    CommentOut,
    CommentPage,
    EditIn,
    ModerationNote,
    ReactionIn,
    ReportIn,
)

ArticleId = Annotated[str, Path(min_length=1, max_length=32)]
CommentId = Annotated[str, Path(min_length=1, max_length=64)]


def _verdict(ctx: Context, request: Request, comment: Comment, result: ModerationResult,
             language: str | None) -> ModerationNote | None:
    """The decisive refusal explained to its author; raises Rejected for a rejection."""
    refusals = result.refusals
    if not refusals:
        return None
    lang = ctx.language(request, language)
    decision = refusals[0]
    if result.status.value == "rejected":
        raise Rejected(decision.reason, decision.explanation(lang),
                       comment_id=comment.comment_id)
    return ModerationNote(reason=decision.reason, explanation=decision.explanation(lang))


def comments_router(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["comments"])
    runtime = ctx.runtime

    @router.post("/v1/articles/{article_id}/comments", status_code=201,
                 response_model=CommentOut)
    async def create(article_id: ArticleId, body: CommentIn, request: Request) -> Response:
        identity = ctx.poster(request, body.author)
        ip = ctx.ip(request)
        await ctx.limiter.hit_all(("comment_ip", ip), ("comment_reader", identity.reader_id))
        posted = await ctx.writer.post(article_id=article_id, identity=identity,
                                       body=body.body, parent_id=body.parent_id, ip=ip,
                                       now=ctx.now())
        comment = posted.comment
        runtime.metrics.comments.labels(comment.status).inc()
        if comment.status == "pending":  # resampled every 30 s (other replicas post too)
            runtime.metrics.comments_pending.inc()
        note = _verdict(ctx, request, comment, posted.result, posted.language)
        return ctx.comment_json(comment, moderation=note)  # as CommentOut, built directly

    @router.get("/v1/articles/{article_id}/comments", response_model=CommentPage)
    async def read(
        article_id: ArticleId,
        sort: Literal["newest", "oldest", "reacted"] = "newest",
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int | None, Query(ge=1, le=200)] = None,
    ) -> Response:
        key = (article_id, sort, limit or ctx.settings.page_size)
        body = ctx.pages.get(key) if cursor is None else None
        if body is None:
            since = ctx.pages.clock()
            async with runtime.engine.connect() as conn:  # a read: no ORM session needed
                page = await list_comments(conn, article_id, sort=sort, cursor=cursor,
                                           limit=key[2])
            body = ctx.page_json(page.comments, page.reactions, page.next_cursor)
            if cursor is None:
                ctx.pages.put(key, body, since=since)
        return Response(body, media_type="application/json")

    @router.patch("/v1/comments/{comment_id}")
    async def edit(comment_id: CommentId, body: EditIn, request: Request) -> CommentOut:
        identity = ctx.verified_reader(request)
        ip = ctx.ip(request)
        await ctx.limiter.hit("action_ip", ip)
        async with runtime.transaction() as tx:
            comment, result = await edit_comment(
                tx, comment_id=comment_id, identity=identity, body=body.body, ip=ip,
                rules=ctx.rules, now=ctx.now())
        ctx.pages.invalidate([comment.article_id])
        note = _verdict(ctx, request, comment, result, None)
        await ctx.refresh_pending()
        return ctx.comment_out(comment, moderation=note)

    @router.delete("/v1/comments/{comment_id}", status_code=204)
    async def delete(comment_id: CommentId, request: Request) -> Response:
        identity = ctx.verified_reader(request)
        async with runtime.transaction() as tx:
            article_id = await delete_own(tx, comment_id=comment_id, identity=identity)
        ctx.pages.invalidate([article_id])
        await ctx.refresh_pending()
        return Response(status_code=204)

    @router.put("/v1/comments/{comment_id}/reaction")
    async def set_reaction(comment_id: CommentId, body: ReactionIn,
                           request: Request) -> dict[str, Any]:
        identity = ctx.verified_reader(request)
        await ctx.limiter.hit("action_ip", ctx.ip(request))
        async with runtime.transaction() as tx:
            await react(tx.session, comment_id=comment_id, reader_id=identity.reader_id,
                        kind=body.kind, now=ctx.now())
        return await _reactions(comment_id, body.kind)

    @router.delete("/v1/comments/{comment_id}/reaction")
    async def remove_reaction(comment_id: CommentId, request: Request) -> dict[str, Any]:
        identity = ctx.verified_reader(request)
        async with runtime.transaction() as tx:
            await unreact(tx.session, comment_id=comment_id, reader_id=identity.reader_id)
        return await _reactions(comment_id, None)

    async def _reactions(comment_id: str, mine: str | None) -> dict[str, Any]:
        async with runtime.sessions() as session:
            comment = await session.get(Comment, comment_id)
            counts = await reaction_counts(session, [comment] if comment else [])
        return {"comment_id": comment_id, "reaction": mine,
                "reactions_total": comment.reactions_total if comment else 0,
                "reactions": counts.get(comment_id, {})}

    @router.post("/v1/comments/{comment_id}/reports", status_code=202)
    async def report_comment(comment_id: CommentId, body: ReportIn,
                             request: Request) -> dict[str, str]:
        identity = ctx.verified_reader(request)
        await ctx.limiter.hit("action_ip", ctx.ip(request))
        async with runtime.transaction() as tx:
            held = await report(tx, comment_id=comment_id, reader_id=identity.reader_id,
                                reason=body.reason, note=body.note,
                                hold_threshold=ctx.rules.report_hold_threshold, now=ctx.now())
        if held:
            await ctx.refresh_pending()
        return {"comment_id": comment_id, "status": "received"}

    return router
