"""When the writer tells the outbox relay about committed events: at once when the
queue has drained, otherwise at least every ``relay_every_s`` (a burst's batches
share relay passes)."""

from __future__ import annotations

from typing import Any, cast

from wirestream.comments.moderation import ModerationConfig
from wirestream.comments.service import CommentRules
from wirestream.comments.writer import CommentWriter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeRelay:
    def __init__(self) -> None:
        self.told = 0

    def notify(self) -> None:
        self.told += 1


class FakeRuntime:
    def __init__(self) -> None:
        self.relay = FakeRelay()


def _writer(clock: Clock) -> tuple[CommentWriter, FakeRelay]:
    runtime = FakeRuntime()
    writer = CommentWriter(cast(Any, runtime), CommentRules(moderation=ModerationConfig()),
                           relay_every_s=0.02, clock=clock)
    return writer, runtime.relay


def test_a_drained_queue_tells_the_relay_at_once() -> None:
    writer, relay = _writer(Clock())
    writer._tell_relay()
    writer._tell_relay()
    assert relay.told == 2


def test_while_comments_wait_the_relay_is_told_every_interval() -> None:
    clock = Clock()
    writer, relay = _writer(clock)
    writer._queue.put_nowait(cast(Any, ("draft", "answer")))  # the next batch is waiting
    writer._tell_relay()
    clock.now += 0.01
    writer._tell_relay()
    assert relay.told == 0  # both batches' events wait for one relay pass
    clock.now += 0.01
    writer._tell_relay()
    assert relay.told == 1  # 20 ms after the first commit it was not told of
    clock.now += 0.005
    writer._tell_relay()
    assert relay.told == 1  # the interval starts again from the next untold commit
    writer._queue.get_nowait()
    writer._tell_relay()
    assert relay.told == 2  # drained
