"""Poll routes: editors attach and close polls, readers vote and read results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import AwareDatetime, BaseModel, Field

from .. import polls
from ..errors import Invalid
from ..models import utc
from .context import Context, Moderator
from .schemas import Text

PollId = Annotated[str, Path(min_length=1, max_length=32)]


class PollIn(BaseModel):
    question: Text = Field(max_length=300)
    options: list[Annotated[Text, Field(max_length=120)]] = Field(min_length=2, max_length=10)
    closes_at: AwareDatetime


class VoteIn(BaseModel):
    option: int = Field(ge=0)
    # For readers without a token: a random id the site keeps per browser.
    voter_id: str | None = Field(default=None, min_length=16, max_length=64,
                                 pattern=r"^[A-Za-z0-9_-]+$")


class OptionOut(BaseModel):
    index: int
    label: str
    votes: int


class PollOut(BaseModel):
    poll_id: str
    article_id: str
    question: str
    options: list[OptionOut]
    total_votes: int
    closes_at: datetime
    closed: bool

    @classmethod
    def of(cls, r: polls.Results) -> PollOut:
        p = r.poll
        return cls(poll_id=p.poll_id, article_id=p.article_id, question=p.question,
                   options=[OptionOut(index=i, label=label, votes=r.counts[i])
                            for i, label in enumerate(p.options)],
                   total_votes=r.total, closes_at=utc(p.closes_at), closed=r.closed)


def polls_router(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["polls"])
    runtime = ctx.runtime

    @router.post("/v1/articles/{article_id}/polls", status_code=201)
    async def create(article_id: Annotated[str, Path(max_length=32)], body: PollIn,
                     staff: Moderator) -> PollOut:
        now = ctx.now()
        async with runtime.transaction() as tx:
            poll = await polls.create_poll(tx, staff, article_id,
                                           question=body.question, options=body.options,
                                           closes_at=body.closes_at, now=now)
        return PollOut.of(polls.Results(poll, [0] * len(poll.options), closed=False))

    @router.get("/v1/articles/{article_id}/polls")
    async def for_article(
        article_id: Annotated[str, Path(max_length=32)],
    ) -> dict[str, list[PollOut]]:
        async with runtime.sessions() as session:
            found = await polls.article_polls(session, article_id, now=ctx.now())
        return {"polls": [PollOut.of(r) for r in found]}

    @router.get("/v1/polls/{poll_id}")
    async def results(poll_id: PollId) -> PollOut:
        async with runtime.sessions() as session:
            return PollOut.of(await polls.results(session, poll_id, now=ctx.now()))

    @router.post("/v1/polls/{poll_id}/votes", status_code=201)
    async def vote(poll_id: PollId, body: VoteIn, request: Request) -> PollOut:
        identity = ctx.reader(request)
        if identity is not None:
            voter = identity.reader_id
        elif body.voter_id:
            voter = f"browser:{body.voter_id}"
        else:
            raise Invalid("voter-required", "Send a reader token or a voter_id.",
                          pointer="/voter_id")
        await ctx.limiter.hit("action_ip", ctx.ip(request))
        now = ctx.now()
        async with runtime.transaction() as tx:
            await polls.vote(tx.session, poll_id, voter_key=voter, option=body.option, now=now)
        async with runtime.sessions() as session:
            return PollOut.of(await polls.results(session, poll_id, now=now))

    @router.post("/v1/polls/{poll_id}/close")
    async def close(poll_id: PollId, staff: Moderator) -> PollOut:
        now = ctx.now()
        async with runtime.transaction() as tx:
            await polls.close_poll(tx, staff, poll_id, now=now)
        async with runtime.sessions() as session:
            return PollOut.of(await polls.results(session, poll_id, now=now))

    return router
