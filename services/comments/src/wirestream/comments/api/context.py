"""What the routes share: collaborators built in ``create_app``, and the request edges."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from wirestream.common.problems import Problem, problem_response
from wirestream.common.runtime import Runtime

from ..edge import client_ip
from ..errors import CommentsError, Invalid, Unauthenticated
from ..identity import Authenticator, Identity, ReaderTokens
from ..listing import PageRow
from ..models import Comment
from ..moderating import pending_count
from ..pagecache import PageCache
from ..poll_updates import BATCH, announce_pending
from ..ratelimit import RateLimiter
from ..service import CommentRules
from ..settings import CommentsSettings
from ..staff import Role, Staff, authenticate
from ..text import render_comment
from ..writer import CommentWriter
from .schemas import CommentOut, ModerationNote


def _utcnow() -> datetime:
    return datetime.now(UTC)


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _iso(value: datetime) -> str:
    """As ``CommentOut`` writes a time: naive ones (SQLite's) are UTC, and UTC is
    written ``Z``."""
    if value.tzinfo is None:
        return value.isoformat() + "Z"
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _comment(cid: str, article_id: str, parent_id: str | None, author: str, body: str,
             body_html: str, status: str, created_at: datetime, edited_at: datetime | None,
             featured: bool, total: int, reactions: dict[str, int],
             moderation: dict[str, str | None] | None) -> dict[str, Any]:
    """One ``CommentOut`` as the dict pydantic would dump, fields in its order."""
    return {
        "comment_id": cid, "article_id": article_id, "parent_id": parent_id,
        "author": author, "body": body, "body_html": body_html,
        "status": status, "created_at": _iso(created_at),
        "edited_at": None if edited_at is None else _iso(edited_at),
        "featured": bool(featured), "reactions_total": total,
        "reactions": reactions, "moderation": moderation,
    }


def page_json(rows: Sequence[PageRow], counts: dict[str, dict[str, int]],
              next_cursor: str | None, *, render: Callable[[str], str]) -> bytes:
    """A ``CommentPage`` as JSON, exactly as pydantic would write it (the unit tests
    compare), without building a model per comment: every value comes from our own
    columns, so there is nothing to validate."""
    comments = [_comment(cid, article_id, parent_id, author, body, render(body), status,
                         created_at, edited_at, featured, total, counts.get(cid, {}), None)
                for (cid, article_id, parent_id, author, body, status, created_at, edited_at,
                     featured, total) in rows]
    return _compact({"comments": comments, "next_cursor": next_cursor}).encode()


def comment_json(c: Comment, *, render: Callable[[str], str],
                 moderation: ModerationNote | None = None) -> bytes:
    """``CommentOut`` of a comment just posted, as JSON, exactly as pydantic would write
    it (the unit tests compare): the answer to every accepted comment, built without
    the model and FastAPI's validation of it."""
    note = None if moderation is None else {"reason": moderation.reason,
                                            "explanation": moderation.explanation}
    return _compact(_comment(c.comment_id, c.article_id, c.parent_id, c.author, c.body,
                             render(c.body), c.status, c.created_at, c.edited_at,
                             bool(c.featured), c.reactions_total or 0, {}, note)).encode()


@dataclass
class Context:
    """One per app. ``clock`` is read on every request, so tests can move time."""

    runtime: Runtime
    settings: CommentsSettings
    rules: CommentRules
    limiter: RateLimiter
    tokens: ReaderTokens
    authn: Authenticator
    writer: CommentWriter
    pages: PageCache
    clock: Callable[[], datetime] = _utcnow
    render: Callable[[str], str] = field(
        default_factory=lambda: lru_cache(maxsize=8192)(render_comment))

    def now(self) -> datetime:
        return self.clock()

    def ip(self, request: Request) -> str:
        return client_ip(request, hops=self.settings.forwarded_hops)

    def reader(self, request: Request) -> Identity | None:
        """The reader a Bearer token proves, or None for an anonymous request."""
        return self.authn.identify(request.headers.get("authorization"))

    def poster(self, request: Request, author: str | None) -> Identity:
        """Who is posting: a token's reader, or (when allowed) a name at this address."""
        identity = self.reader(request)
        if identity is None:
            if self.settings.require_reader_token:
                raise Unauthenticated("reader-token-required",
                                      "Get a reader token from POST /v1/readers first.",
                                      headers={"WWW-Authenticate": "Bearer"})
            if not author:
                raise Invalid("author-required", "Anonymous comments need an author name.",
                              pointer="/author")
            return Identity(self.tokens.anonymous_id(author, self.ip(request)), "anonymous",
                            author)
        if identity.kind == "jwt" and identity.display_name is None:
            if not author:  # a login without a name claim, and no name given
                raise Invalid("author-required", "Say what name to show with the comment.",
                              pointer="/author")
            return replace(identity, display_name=author)
        return identity

    def verified_reader(self, request: Request) -> Identity:
        identity = self.reader(request)
        if identity is None:
            raise Unauthenticated("reader-token-required",
                                  "Get a reader token from POST /v1/readers first.",
                                  headers={"WWW-Authenticate": "Bearer"})
        return identity

    async def staff(self, request: Request) -> Staff:
        admin = self.settings.admin_token
        async with self.runtime.sessions() as session:
            return await authenticate(session, request.headers.get("authorization"),
                                      admin_token=admin.get_secret_value() if admin else None)

    async def refresh_pending(self) -> None:
        """Keep the pending-comments gauge in step after a change that may move it."""
        async with self.runtime.sessions() as session:
            self.runtime.metrics.comments_pending.set(await pending_count(session))

    async def announce_polls(self) -> None:
        """Emit the coalesced PollUpdated events that are due (see ``poll_updates``)."""
        for _ in range(10):  # bounded: busy polls are picked up again next interval
            async with self.runtime.transaction() as tx:
                if await announce_pending(tx, now=self.now()) < BATCH:
                    return

    def language(self, request: Request, fallback: str | None) -> str | None:
        """The language to explain a refusal in: the reader's if Arabic or English."""
        accepted = request.headers.get("accept-language", "")[:2].lower()
        return accepted if accepted in ("ar", "en") else fallback

    def comment_out(self, c: Comment, *, reactions: dict[str, int] | None = None,
                    **extra: Any) -> CommentOut:
        return CommentOut(
            comment_id=c.comment_id, article_id=c.article_id, parent_id=c.parent_id,
            author=c.author, body=c.body, body_html=self.render(c.body), status=c.status,
            created_at=c.created_at, edited_at=c.edited_at, featured=c.featured,
            reactions_total=c.reactions_total, reactions=reactions or {}, **extra,
        )

    def comment_json(self, c: Comment, *, moderation: ModerationNote | None) -> Response:
        """The 201 for a comment just posted (see :func:`comment_json`)."""
        return Response(comment_json(c, render=self.render, moderation=moderation),
                        status_code=201, media_type="application/json")

    def page_json(self, rows: Sequence[PageRow], counts: dict[str, dict[str, int]],
                  next_cursor: str | None) -> bytes:
        return page_json(rows, counts, next_cursor, render=self.render)

    def comments_out(self, rows: Sequence[Comment],
                     counts: dict[str, dict[str, int]]) -> list[CommentOut]:
        return [self.comment_out(c, reactions=counts.get(c.comment_id)) for c in rows]


def _staff_with(role: Role) -> Callable[[Request], Awaitable[Staff]]:
    async def staff_with_role(request: Request) -> Staff:
        ctx: Context = request.app.state.comments
        staff = await ctx.staff(request)
        staff.require(role)
        return staff

    return staff_with_role


# Route parameters: the staff member making the request, who must hold the role.
Moderator = Annotated[Staff, Depends(_staff_with("moderator"))]
Admin = Annotated[Staff, Depends(_staff_with("admin"))]


def install_error_handler(app: FastAPI) -> None:
    """Answer every :class:`CommentsError` as problem+json with its status."""

    @app.exception_handler(CommentsError)
    async def _refused(request: Request, exc: CommentsError) -> JSONResponse:
        problem = Problem(exc.status, exc.code, exc.title, exc.detail, pointer=exc.pointer,
                          headers=exc.headers, **exc.extra)
        return problem_response(problem, request)
