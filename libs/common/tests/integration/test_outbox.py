"""The outbox relay publishes each committed event exactly once, even across outages."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

from wirestream.common.envelope import encode_payload, unpack_envelope
from wirestream.common.streams import RELAYED_KEY_PREFIX
from wirestream.common.testing import eventually, make_comment

OUT = "test:out"


async def _emit(h, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    ids = []
    async with h.relay.transaction() as tx:
        for i in range(n):
            event = make_comment(body=f"e{i}")
            await tx.emit(OUT, event)
            ids.append(event.event_id)
    return ids


async def _stream_event_ids(h) -> list[str]:  # type: ignore[no-untyped-def]
    entries = await h.bus.redis.xrange(OUT)
    return [json.loads(unpack_envelope(f[b"__data__"])[0])["event_id"] for _, f in entries]


async def test_committed_events_are_relayed_in_order(harness) -> None:  # type: ignore[no-untyped-def]
    ids = await _emit(harness, 5)
    assert await harness.relay.relay_once() == 5
    assert await harness.relay.relay_once() == 0
    assert await _stream_event_ids(harness) == ids


async def test_single_and_grouped_emits_keep_their_order(harness) -> None:  # type: ignore[no-untyped-def]
    # A unit of work writes its events in one INSERT at the end (deferred), in emit order.
    events = [make_comment(body=f"e{i}") for i in range(6)]
    async with harness.relay.transaction() as tx:
        await tx.emit(OUT, events[0])
        await tx.emit_many(OUT, events[1:4])
        await tx.emit(OUT, events[4])
        await tx.emit_many(OUT, events[5:])
        assert tx.emitted == 6
    assert await harness.relay.relay_once() == 6
    assert await _stream_event_ids(harness) == [e.event_id for e in events]


async def test_rolled_back_events_are_never_relayed(harness) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError):
        async with harness.relay.transaction() as tx:
            await tx.emit(OUT, make_comment())
            raise RuntimeError("the handler failed after emitting")
    assert await harness.relay.relay_once() == 0
    assert await harness.bus.redis.xlen(OUT) == 0


async def test_crash_between_xadd_and_mark_does_not_duplicate(harness) -> None:  # type: ignore[no-untyped-def]
    [event_id] = await _emit(harness, 1)
    # A relay that crashed after its XADD: the entry and its marker exist, the row is unmarked.
    async with harness.sessions() as s:
        row = (await s.execute(harness.relay.outbox.select())).one()
    script = harness.bus.redis.register_script(
        "local id = redis.call('XADD', KEYS[1], '*', '__data__', ARGV[1]) "
        "redis.call('SET', KEYS[2], id) return id")
    await script(keys=[OUT, RELAYED_KEY_PREFIX + event_id],
                 args=[encode_payload(row.payload, row.event_type, row.correlation_id)])
    assert await harness.relay.relay_once() == 1
    assert await _stream_event_ids(harness) == [event_id]


async def test_backlog_flows_after_redis_comes_back(harness, redis_server) -> None:  # type: ignore[no-untyped-def]
    redis_server.stop()
    ids = await _emit(harness, 3)  # the database still accepts the work
    with pytest.raises(Exception):  # noqa: B017 - any connection error will do
        await harness.relay.relay_once()
    redis_server.start()
    assert await harness.relay.relay_once() == 3
    assert await _stream_event_ids(harness) == ids


async def test_prune_forgets_relayed_rows_and_old_inbox_ids(harness) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    relay = harness.relay
    relay.keep_relayed_s = relay.keep_inbox_s = 0
    await _emit(harness, 2)
    async with relay.transaction() as tx:
        assert len(await tx.fresh("g", [make_comment()])) == 1
    await _emit(harness, 1)  # emitted but not yet relayed: must survive the prune
    assert await relay.relay_once() == 3
    await _emit(harness, 1)
    await relay.prune()
    async with harness.sessions() as s:
        left = (await s.execute(sa.select(relay.outbox.c.relayed_at))).scalars().all()
        inbox = (await s.execute(sa.select(sa.func.count()).select_from(relay.inbox))).scalar()
    assert left == [None]  # only the unrelayed row is kept
    assert inbox == 0


async def test_a_commit_during_a_relay_pass_is_relayed_without_waiting_for_the_poll(
    harness,  # type: ignore[no-untyped-def]
) -> None:
    relay = harness.relay
    relay.poll_s = 3600.0  # only wake-ups can make it relay again within the test
    first_pass = asyncio.Event()
    original = relay._pass
    late: list[str] = []

    async def pass_with_a_commit_in_between(next_poll: float) -> float:
        due = await original(next_poll)
        if not late:  # commit (and wake the relay) while its first pass is still running
            late.extend(await _emit(harness, 1))
            first_pass.set()
        return due

    relay._pass = pass_with_a_commit_in_between
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.wait_for(first_pass.wait(), timeout=30)
        await eventually(lambda: _relayed(harness, late))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _relayed(h, ids: list[str]) -> bool:  # type: ignore[no-untyped-def]
    return set(ids) <= set(await _stream_event_ids(h))


async def _script_exists_calls(h) -> int:  # type: ignore[no-untyped-def]
    stats = await h.bus.redis.info("commandstats")
    return int(stats.get("cmdstat_script|exists", {}).get("calls", 0))


async def test_a_relay_pass_is_one_round_trip_of_evalsha(harness) -> None:  # type: ignore[no-untyped-def]
    ids = await _emit(harness, 3)
    assert await harness.relay.relay_once() == 3  # the first pass loads the script
    before = await _script_exists_calls(harness)
    ids += await _emit(harness, 2)
    assert await harness.relay.relay_once() == 2
    ids += await _emit(harness, 1)
    assert await harness.relay.relay_once() == 1
    assert await _script_exists_calls(harness) == before  # no SCRIPT EXISTS per pass
    assert await _stream_event_ids(harness) == ids


async def test_a_redis_that_lost_its_scripts_gets_them_again(harness) -> None:  # type: ignore[no-untyped-def]
    ids = await _emit(harness, 2)
    assert await harness.relay.relay_once() == 2
    await harness.bus.redis.script_flush()  # as after a restart: NOSCRIPT on the next pass
    ids += await _emit(harness, 3)
    assert await harness.relay.relay_once() == 3
    assert await _stream_event_ids(harness) == ids  # each once, in order


async def test_a_batch_resent_after_noscript_adds_nothing_twice(harness) -> None:  # type: ignore[no-untyped-def]
    # A flush in the middle of a pass can leave some entries of the batch added: the
    # batch is sent again whole, and each event's marker keeps it from a second XADD.
    ids = await _emit(harness, 3)
    relay = harness.relay
    await harness.bus.redis.script_load(relay._script.script)
    async with harness.sessions() as s:
        rows = (await s.execute(relay.outbox.select().order_by(relay.outbox.c.id))).all()
    _, first = await relay._xadd_once(rows[:1])  # entry 1 went out, as if before a flush
    await harness.bus.redis.script_flush()
    assert await relay.relay_once() == 3
    assert await _stream_event_ids(harness) == ids
    entries = await harness.bus.redis.xrange(OUT)
    assert entries[0][0] == first[0]  # the first entry is the one added before the flush


async def _unrelayed(h) -> int:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    o = h.relay.outbox
    async with h.sessions() as s:
        return int((await s.execute(sa.select(sa.func.count()).select_from(o)
                                    .where(o.c.relayed_at.is_(None)))).scalar_one())


async def test_committed_rows_go_out_from_memory_and_are_marked_soon_after(harness) -> None:  # type: ignore[no-untyped-def]
    relay = harness.relay
    relay.poll_s = 3600.0  # the table is read once, at the start
    polls = 0
    original = relay._poll

    async def counting_poll() -> int:
        nonlocal polls
        polls += 1
        return await original()

    relay._poll = counting_poll
    task = asyncio.create_task(relay.run())
    try:
        ids: list[str] = []
        for _ in range(3):
            ids += await _emit(harness, 2)
            await eventually(lambda ids=ids: _relayed(harness, ids))
        assert polls == 1
        assert await eventually(lambda: _zero(_unrelayed(harness)))
        assert await _stream_event_ids(harness) == ids
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _zero(count) -> bool:  # type: ignore[no-untyped-def]
    return await count == 0


async def test_a_relay_that_stops_before_marking_sends_nothing_twice_next_time(harness) -> None:  # type: ignore[no-untyped-def]
    from wirestream.common.outbox import OutboxRelay

    ids = await _emit(harness, 2)
    assert await harness.relay._send_handed() == 2  # sent; the process dies before marking
    assert await _unrelayed(harness) == 2
    again = OutboxRelay(sessions=harness.sessions, outbox=harness.relay.outbox,
                        inbox=harness.relay.inbox, redis=harness.bus.redis,
                        metrics=harness.metrics)
    assert await again.relay_once() == 2  # read back from the table, deduped by the markers
    assert await _stream_event_ids(harness) == ids
    assert await _unrelayed(harness) == 0


async def test_rows_sent_but_unmarked_when_redis_loses_its_data_go_out_again(harness) -> None:  # type: ignore[no-untyped-def]
    relay = harness.relay
    first = await _emit(harness, 1)
    assert await relay.relay_once() == 1  # the relay's epoch starts
    lost = await _emit(harness, 1)
    assert await relay._send_handed() == 1  # sent, not yet marked...
    await harness.bus.redis.flushall()  # ...when Redis comes back empty
    later = await _emit(harness, 1)
    await relay.relay_once()
    # The kept rows and the unmarked one go out again; each once.
    assert sorted(await _stream_event_ids(harness)) == sorted(first + lost + later)
    assert await relay.relay_once() == 0
    assert await _unrelayed(harness) == 0


async def test_rows_nobody_drains_from_memory_are_found_in_the_table(harness) -> None:  # type: ignore[no-untyped-def]
    relay = harness.relay
    relay.max_handed = 2
    ids = []
    for _ in range(3):  # a tool that writes without running the relay
        ids += await _emit(harness, 1)
    assert len(relay._handed) <= 2
    assert await relay.relay_once() == 3
    assert await _stream_event_ids(harness) == ids
