"""The cached ``stream_sub`` of FastStream's stream subscribers: built once, same values."""

from __future__ import annotations

from faststream.redis import RedisBroker, StreamSub

from wirestream.common import faststream_fixes


def test_a_subscriber_builds_its_prefixed_stream_sub_once() -> None:
    faststream_fixes.install()
    faststream_fixes.install()  # idempotent
    broker = RedisBroker("redis://127.0.0.1:1", prefix="p:")
    sub = broker.subscriber(stream=StreamSub("articles", group="g", consumer="c", batch=True,
                                             max_records=7))
    first, second = sub.stream_sub, sub.stream_sub
    assert first is second
    # What FastStream's own property builds on every access.
    fresh = sub._stream_sub.add_prefix(sub._outer_config.prefix)
    fields = ("name", "group", "consumer", "batch", "max_records", "no_ack", "last_id",
              "min_idle_time")
    assert [getattr(first, f) for f in fields] == [getattr(fresh, f) for f in fields]
    assert (first.name, first.group, first.max_records) == (
        f"{sub._outer_config.prefix}articles", "g", 7)


def test_each_subscriber_keeps_its_own() -> None:
    faststream_fixes.install()
    broker = RedisBroker("redis://127.0.0.1:1")
    a = broker.subscriber(stream=StreamSub("one", group="g", consumer="c"))
    b = broker.subscriber(stream=StreamSub("two", group="g", consumer="c", batch=True))
    assert (a.stream_sub.name, b.stream_sub.name) == ("one", "two")
    assert a.stream_sub is a.stream_sub and a.stream_sub is not b.stream_sub
