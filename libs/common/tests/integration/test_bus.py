"""The delivery guarantees, against a real redis-server and a real database."""

from __future__ import annotations

import asyncio
from collections import Counter

import sqlalchemy as sa
from pydantic import TypeAdapter

from wirestream.common.events import CommentEvent, CommentModerated, CommentPosted
from wirestream.common.streams import DEAD_LETTERS
from wirestream.common.testing import eventually, make_comment

STREAM = "test:comments"
GROUP = "g"
ADAPTER = TypeAdapter(CommentPosted)


def subscribe_recorder(h, *, fail: dict[str, int] | None = None, emit_to: str | None = None):  # type: ignore[no-untyped-def]
    """Subscribe a handler that records each event in the ``handled`` table.

    ``fail`` maps a comment body to how many times the handler fails on it
    (a large number makes it poison).
    """
    fail = dict(fail or {})
    attempts: Counter[str] = Counter()

    async def handler(events: list[CommentPosted]) -> None:
        async with h.relay.transaction() as tx:
            for e in await tx.fresh(GROUP, events):
                attempts[e.body] += 1
                if emit_to:
                    await tx.emit(emit_to, make_comment(body=e.body, correlation_id=e.correlation_id))
                if attempts[e.body] <= fail.get(e.body, 0):
                    raise RuntimeError(f"handler failure for {e.body}")
                await tx.session.execute(h.handled.insert().values(event_id=e.event_id,
                                                                   value=e.body))

    h.bus.subscribe(stream=STREAM, group=GROUP, adapter=ADAPTER, handler=handler)
    return attempts


async def rows(h) -> list[str]:  # type: ignore[no-untyped-def]
    async with h.sessions() as s:
        return list((await s.scalars(sa.select(h.handled.c.value))).all())


async def pending(h) -> int:  # type: ignore[no-untyped-def]
    return int((await h.bus.redis.xpending(STREAM, GROUP))["pending"])


async def test_every_event_is_handled_once_and_acked(harness) -> None:  # type: ignore[no-untyped-def]
    subscribe_recorder(harness)
    await harness.bus.start()
    for i in range(200):
        await harness.bus.publish(STREAM, make_comment(body=f"c{i}"))
    await eventually(lambda: _count_is(harness, 200))
    assert sorted(await rows(harness)) == sorted(f"c{i}" for i in range(200))
    await eventually(lambda: _pending_is(harness, 0))


async def test_redelivered_event_produces_one_row(harness) -> None:  # type: ignore[no-untyped-def]
    subscribe_recorder(harness)
    await harness.bus.start()
    event = make_comment(body="once")
    for _ in range(3):
        await harness.bus.publish(STREAM, event)
    await harness.bus.publish(STREAM, make_comment(body="after"))
    await eventually(lambda: _count_is(harness, 2))
    await asyncio.sleep(0.3)
    assert sorted(await rows(harness)) == ["after", "once"]


async def test_failed_event_is_retried_until_it_succeeds(harness) -> None:  # type: ignore[no-untyped-def]
    attempts = subscribe_recorder(harness, fail={"flaky": 2})
    await harness.bus.start()
    await harness.bus.publish(STREAM, make_comment(body="flaky"))
    await eventually(lambda: _count_is(harness, 1))
    assert attempts["flaky"] == 3
    assert await rows(harness) == ["flaky"]
    assert await harness.bus.redis.xlen(DEAD_LETTERS) == 0


async def test_poison_event_is_dead_lettered_and_the_stream_keeps_flowing(harness) -> None:  # type: ignore[no-untyped-def]
    attempts = subscribe_recorder(harness, fail={"poison": 1_000})
    await harness.bus.start()
    for body in ("a", "poison", "b"):
        await harness.bus.publish(STREAM, make_comment(body=body))
    letters = await eventually(lambda: harness.bus.redis.xrange(DEAD_LETTERS))
    assert len(letters) == 1
    fields = letters[0][1]
    assert fields[b"reason"] == b"max-deliveries"
    assert int(fields[b"deliveries"]) == harness.settings.max_deliveries
    assert b"handler failure for poison" in fields[b"error"]
    assert attempts["poison"] >= harness.settings.max_deliveries
    await harness.bus.publish(STREAM, make_comment(body="c"))
    await eventually(lambda: _count_is(harness, 3))
    assert sorted(await rows(harness)) == ["a", "b", "c"]
    await eventually(lambda: _pending_is(harness, 0))


async def test_invalid_entry_is_dead_lettered_at_once(harness) -> None:  # type: ignore[no-untyped-def]
    subscribe_recorder(harness)
    await harness.bus.start()
    await harness.bus.redis.xadd(STREAM, {"garbage": "not an event"})
    await harness.bus.publish(STREAM, make_comment(body="fine"))
    letters = await eventually(lambda: harness.bus.redis.xrange(DEAD_LETTERS))
    assert letters[0][1][b"reason"] == b"invalid"
    assert int(letters[0][1][b"deliveries"]) == 1
    await eventually(lambda: _count_is(harness, 1))


async def test_entry_left_by_a_dead_consumer_is_claimed_and_handled_once(harness) -> None:  # type: ignore[no-untyped-def]
    redis = harness.bus.redis
    await redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    await harness.bus.broker.connect()
    await harness.bus.publish(STREAM, make_comment(body="orphan"))
    # A consumer that reads the entry and dies before acking it.
    taken = await redis.xreadgroup(GROUP, "dead-consumer", {STREAM: ">"}, count=10)
    assert len(taken[0][1]) == 1
    subscribe_recorder(harness)
    await harness.bus.start()
    await eventually(lambda: _count_is(harness, 1))
    await eventually(lambda: _pending_is(harness, 0))
    await asyncio.sleep(0.5)
    assert await rows(harness) == ["orphan"]


async def test_events_emitted_by_a_failed_handler_are_not_published(harness) -> None:  # type: ignore[no-untyped-def]
    subscribe_recorder(harness, fail={"x": 1}, emit_to="test:out")
    relay_task = asyncio.create_task(harness.relay.run())
    try:
        await harness.bus.start()
        await harness.bus.publish(STREAM, make_comment(body="x"))
        await eventually(lambda: _count_is(harness, 1))
        await eventually(lambda: harness.bus.redis.xlen("test:out"))
        await asyncio.sleep(0.5)
        # The first attempt's emitted event rolled back with it: one event out, not two.
        assert await harness.bus.redis.xlen("test:out") == 1
    finally:
        relay_task.cancel()


async def _count_is(h, n: int) -> bool:  # type: ignore[no-untyped-def]
    return len(await rows(h)) == n


async def _pending_is(h, n: int) -> bool:  # type: ignore[no-untyped-def]
    return await pending(h) == n


async def test_dead_letters_can_be_listed_and_replayed(harness) -> None:  # type: ignore[no-untyped-def]
    from wirestream.common.deadletters import list_dead_letters, replay

    attempts = subscribe_recorder(harness, fail={"late": 3})  # fails max_deliveries times
    await harness.bus.start()
    await harness.bus.publish(STREAM, make_comment(body="late"))
    [letter] = await eventually(lambda: list_dead_letters(harness.bus.redis))
    assert letter.stream == STREAM and letter.group == GROUP
    assert letter.reason == "max-deliveries" and letter.deliveries == 3
    assert await rows(harness) == []

    # The cause is fixed (the handler now succeeds); replay puts the entry back.
    assert await replay(harness.bus.redis, [letter.id]) == [letter.id]
    await eventually(lambda: _count_is(harness, 1))
    assert await rows(harness) == ["late"]
    assert attempts["late"] == 4
    assert await list_dead_letters(harness.bus.redis) == []


async def test_ignored_event_types_are_acked_unread(harness) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    async def handler(events: list[object]) -> None:
        seen.extend(type(e).__name__ for e in events)

    harness.bus.subscribe(stream=STREAM, group=GROUP, adapter=TypeAdapter(CommentEvent),
                          handler=handler, ignore=(CommentPosted,))
    await harness.bus.start()
    for i in range(5):
        await harness.bus.publish(STREAM, make_comment(body=f"c{i}"))
    await harness.bus.publish(STREAM, CommentModerated(comment_id="c1", article_id="a",
                                                       status="approved"))
    # An entry that claims an ignored type is skipped, but one that claims no type is not.
    await harness.bus.redis.xadd(STREAM, {"__data__": b"junk", "event_type": "comment.posted"})
    await harness.bus.redis.xadd(STREAM, {"__data__": b"junk"})
    await eventually(lambda: _pending_is(harness, 0))
    assert seen == ["CommentModerated"]
    await eventually(lambda: _dead_letters_are(harness, 1))


async def _dead_letters_are(h, n: int) -> bool:  # type: ignore[no-untyped-def]
    return await h.bus.redis.xlen(DEAD_LETTERS) == n
