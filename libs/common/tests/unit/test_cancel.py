"""A background loop stops on cancel even when a client library swallowed the CancelledError."""

from __future__ import annotations

import asyncio

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from wirestream.common.cancel import reraise_if_cancelling


async def _swallowing_call() -> None:
    """Like redis-py when cancelled mid-read: the cancellation becomes a connection error."""
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        raise RedisConnectionError("connection closed") from None


async def _retry_loop(rounds: list[int], *, guard: bool) -> None:
    while True:
        rounds.append(1)
        try:
            await _swallowing_call()
        except RedisConnectionError:
            if guard:
                reraise_if_cancelling()
        if len(rounds) > 3:  # without the guard the loop would go on: stop the test
            return


async def test_guarded_loop_stops_when_cancelled() -> None:
    rounds: list[int] = []
    task = asyncio.create_task(_retry_loop(rounds, guard=True))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert rounds == [1]


async def test_unguarded_loop_carries_on_after_cancel() -> None:
    """The failure the guard prevents: the cancel is consumed and the loop keeps going."""
    rounds: list[int] = []
    task = asyncio.create_task(_retry_loop(rounds, guard=False))
    await asyncio.sleep(0.01)
    task.cancel()
    # The loop survives the cancel; later rounds block again, so cancel those too.
    for _ in range(5):
        await asyncio.sleep(0.01)
        if task.done():
            break
        task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert len(rounds) > 1


def test_outside_a_cancelled_task_it_does_nothing() -> None:
    async def main() -> bool:
        reraise_if_cancelling()
        return True

    assert asyncio.run(main())
