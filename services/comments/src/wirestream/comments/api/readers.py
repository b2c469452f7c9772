"""Reader routes: get a signed reader token, see who a token names."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from ..errors import CommentsError, NotFound
from ..models import Reader
from ..readers import create_reader, status_of
from .context import Context
from .schemas import ReaderIn, ReaderOut


class TokensDisabled(CommentsError):
    status = 503
    title = "Reader tokens unavailable"


def readers_router(ctx: Context) -> APIRouter:
    router = APIRouter(prefix="/v1/readers", tags=["readers"])

    @router.post("", status_code=201)
    async def register(body: ReaderIn, request: Request) -> ReaderOut:
        """A new reader with a display name, and the token that proves it."""
        if not ctx.tokens.enabled:
            raise TokensDisabled("reader-tokens-disabled",
                                 "Set WIRESTREAM_READER_SECRET to issue reader tokens.")
        await ctx.limiter.hit("new_reader_ip", ctx.ip(request))
        now = ctx.now()
        async with ctx.runtime.transaction() as tx:
            reader = await create_reader(tx.session, body.display_name, now=now)
        return ReaderOut(reader_id=reader.reader_id, display_name=reader.display_name,
                         token=ctx.tokens.issue(reader.reader_id, now=now.timestamp()),
                         expires_at=now + timedelta(seconds=ctx.tokens.ttl_s))

    @router.get("/me")
    async def me(request: Request) -> ReaderOut:
        identity = ctx.verified_reader(request)
        async with ctx.runtime.sessions() as session:
            reader = await session.get(Reader, identity.reader_id)
        if reader is None:  # a site login that has not commented yet
            if identity.kind != "jwt":
                raise NotFound("unknown-reader", "No such reader.")
            return ReaderOut(reader_id=identity.reader_id,
                             display_name=identity.display_name or "")
        return ReaderOut(reader_id=reader.reader_id, display_name=reader.display_name,
                         status=status_of(reader, now=ctx.now()).value)

    return router
