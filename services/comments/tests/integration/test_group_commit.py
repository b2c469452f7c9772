"""Comments posted together are committed together: every 201 has its row and its
event, nothing twice, and moderation sees the earlier comments of the same batch."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from wirestream.comments.models import Comment, Reader
from wirestream.common.testing import eventually

from .conftest import Harness, MakeHarness


async def _rows(h: Harness, article: str) -> list[Comment]:
    async with h.runtime.sessions() as session:
        return list(await session.scalars(sa.select(Comment).where(Comment.article_id == article)))


async def test_a_burst_is_stored_once_with_one_event_each(h: Harness) -> None:
    article = await h.open_article()
    other = await h.open_article()
    replies_to = (await h.post(article, "The first word.")).json()["comment_id"]
    posts = [h.post(article if i % 3 else other, f"Burst comment number {i}.",
                    author=f"Reader {i % 7}", parent_id=replies_to if i % 3 else None)
             for i in range(60)]
    posts.append(h.post("nosuchart", "Nobody will read this."))
    answers = await asyncio.gather(*posts)
    *ok, missing = answers
    assert all(r.status_code == 201 for r in ok), [r.text for r in ok if r.status_code != 201]
    assert missing.status_code == 404
    ids = {r.json()["comment_id"] for r in ok}
    assert len(ids) == 60

    stored = await _rows(h, article) + await _rows(h, other)
    assert ids <= {c.comment_id for c in stored} and len(stored) == 61

    async def relayed() -> bool:
        return len(await h.events("comment.posted")) == 61

    await eventually(relayed)
    events = await h.events("comment.posted")
    assert {e["comment_id"] for e in events} == ids | {replies_to}
    async with h.runtime.sessions() as session:
        names = set(await session.scalars(sa.select(Reader.display_name)))
    assert names == {"Reader"} | {f"Reader {k}" for k in range(7)}


async def test_a_repeat_inside_one_batch_is_refused(h: Harness) -> None:
    article = await h.open_article()
    same = [h.post(article, "Exactly the same words!", author="Echo") for _ in range(5)]
    answers = await asyncio.gather(*same)
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 422, 422, 422, 422], [r.text for r in answers]
    refused = [r.json() for r in answers if r.status_code == 422]
    assert all(p["reason"] == "repeated-post" for p in refused)


async def test_a_new_reader_is_held_once_established_is_not(make_harness: MakeHarness) -> None:
    h = await make_harness(new_reader_threshold=1)
    article = await h.open_article()
    first = await asyncio.gather(*(h.post(article, f"Hello number {i}", author="Newcomer")
                                   for i in range(3)))
    assert {r.json()["status"] for r in first} == {"pending"}
    key = await h.staff_key()
    approve = await h.client.post(
        f"/v1/moderation/comments/{first[0].json()['comment_id']}/approve",
        headers={"Authorization": f"Bearer {key}"})
    assert approve.status_code == 200
    later = await h.post(article, "Now I am known here.", author="Newcomer")
    assert later.status_code == 201 and later.json()["status"] == "approved"


async def test_the_writer_accepts_again_when_the_runtime_starts_again(h: Harness) -> None:
    """Stopping is not forever: an app whose lifespan runs a second time posts again."""
    article = await h.open_article()
    writer = h.ctx.writer
    writer._stopped = True  # as after a shutdown cancelled its task
    refused = await h.post(article, "Refused while stopped.")
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    task = asyncio.create_task(writer.run())  # the next start-up runs it again
    try:
        posted = await h.post(article, "Accepted after the restart.")
        assert posted.status_code == 201, posted.text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_reader_is_held_until_enough_approved_comments(
    make_harness: MakeHarness,
) -> None:
    """The approved count read with the reader's row: pending comments do not count,
    each approved one does, and the reader is trusted from ``new_reader_threshold`` on."""
    h = await make_harness(new_reader_threshold=2)
    article = await h.open_article()
    key = await h.staff_key()
    statuses = []
    for i in range(4):
        posted = await h.post(article, f"Comment number {i} from a newcomer.", author="Nova")
        assert posted.status_code == 201, posted.text
        statuses.append(posted.json()["status"])
        if posted.json()["status"] == "pending" and i != 1:  # the second stays pending
            approve = await h.client.post(
                f"/v1/moderation/comments/{posted.json()['comment_id']}/approve",
                headers={"Authorization": f"Bearer {key}"})
            assert approve.status_code == 200
    # 0 approved, then 1 (+1 pending), then 2: trusted from the fourth comment on.
    assert statuses == ["pending", "pending", "pending", "approved"]


async def test_the_writer_tells_the_relay_about_its_commits(make_harness: MakeHarness) -> None:
    """The writer commits outside ``Runtime.transaction`` and tells the relay itself: with
    the relay's own poll a minute away, every event of a burst and of a lone comment
    after it still reaches the stream."""
    h = await make_harness(outbox_poll_s=60)
    article = await h.open_article()
    burst = await asyncio.gather(*(h.post(article, f"Burst {i} of twenty.", author=f"R{i}")
                                   for i in range(20)))
    assert all(r.status_code == 201 for r in burst)

    async def relayed(n: int) -> bool:
        return len(await h.events("comment.posted")) == n

    await eventually(lambda: relayed(20))
    lone = await h.post(article, "A quiet moment later.", author="Late")
    assert lone.status_code == 201
    await eventually(lambda: relayed(21))
    ids = [e["comment_id"] for e in await h.events("comment.posted")]
    assert len(set(ids)) == 21 and lone.json()["comment_id"] in ids
