"""The page builder's pacing: after each round it rests so rounds take at most ``duty``
of its time. Time is simulated (a fake clock and a recording sleep): no I/O, no waiting."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from wirestream.publish import builder as builder_module
from wirestream.publish.builder import PageBuilder


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def perf_counter(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def paced(monkeypatch: pytest.MonkeyPatch, *, duty: float, rounds: list[tuple[int, float]],
          batch: int = 10) -> tuple[PageBuilder, Clock]:
    """A builder whose rounds claim ``n`` keys and take ``s`` seconds each, in order."""
    clock = Clock()
    monkeypatch.setattr(builder_module.time, "perf_counter", clock.perf_counter)
    monkeypatch.setattr(builder_module.asyncio, "sleep", clock.sleep)
    b = PageBuilder(sessions=None, site=None, batch=batch, duty=duty,  # type: ignore[arg-type]
                    debounce_s=0.0, poll_s=3600.0)
    script = list(rounds)

    async def build_once() -> int:
        if not script:
            raise asyncio.CancelledError  # end of the script: stop the loop
        n, seconds = script.pop(0)
        clock.now += seconds
        return n

    b.build_once = build_once  # type: ignore[method-assign]
    b.notify()  # after the scripted rounds, wake at once (after the 0 s debounce) and stop
    return b, clock


@pytest.mark.parametrize(("duty", "rest"), [(0.25, 0.6), (0.5, 0.2), (1.0, 0.0)])
async def test_a_round_is_followed_by_a_rest_in_proportion(
        monkeypatch: pytest.MonkeyPatch, duty: float, rest: float) -> None:
    b, clock = paced(monkeypatch, duty=duty, rounds=[(10, 0.2), (3, 0.2)])
    with pytest.raises(asyncio.CancelledError):
        await b.run()
    # Two rounds back to back (the first was a full batch), each followed by its rest,
    # then the (zero) debounce before the next wake-up.
    assert clock.sleeps == ([rest, rest] if rest else []) + [0.0]


async def test_an_empty_round_costs_no_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    b, clock = paced(monkeypatch, duty=0.25, rounds=[(0, 0.01)])
    with pytest.raises(asyncio.CancelledError):
        await b.run()
    assert clock.sleeps == [0.0]  # only the debounce


def test_duty_must_be_a_share_of_time() -> None:
    for bad in (0.0, -0.5, 1.5):
        with pytest.raises(ValueError, match="duty"):
            PageBuilder(sessions=None, site=None, duty=bad)  # type: ignore[arg-type]


def test_the_service_default_leaves_most_of_the_time_to_the_handlers() -> None:
    from wirestream.publish.settings import PublishSettings

    fields: dict[str, Any] = PublishSettings.model_fields  # type: ignore[assignment]
    assert 0 < fields["build_duty"].default < 0.5
