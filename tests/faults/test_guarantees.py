"""Fault tests for the bus guarantees with real processes, a real Redis and real databases."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from wirestream.common.testing import eventually, make_comment

from .consumer_child import GROUP, STREAM, build


async def test_consumer_killed_mid_message_is_claimed_and_processed_once(
    tmp_path: Path, redis_url: str, database_url: str
) -> None:
    marker = tmp_path / "started"
    bus, engine, metadata, handled = build(redis_url, database_url, consumer="survivor",
                                           claim_idle_ms=800)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await bus.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    await bus.broker.connect()
    await bus.publish(STREAM, make_comment(body="the one"))

    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("consumer_child.py")),
                              redis_url, database_url, str(marker)],
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)})
    try:
        await eventually(lambda: asyncio.sleep(0, marker.exists()), timeout=30)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    pending = await bus.redis.xpending_range(STREAM, GROUP, "-", "+", 10)
    assert [p["consumer"] for p in pending] == [b"doomed"]

    await bus.start()  # a live consumer in this process: its claimer takes the orphan

    async def rows() -> list[str]:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.select(handled.c.value))).scalars())

    assert await eventually(rows, timeout=20) == ["the one"]
    await eventually(lambda: _no_pending(bus), timeout=10)
    await asyncio.sleep(1.0)  # nothing else arrives later
    assert await rows() == ["the one"]
    await bus.stop()
    await engine.dispose()


async def _no_pending(bus) -> bool:  # type: ignore[no-untyped-def]
    return int((await bus.redis.xpending(STREAM, GROUP))["pending"]) == 0


async def test_sigterm_lets_the_in_flight_message_finish_and_ack(
    tmp_path: Path, redis_url: str, database_url: str
) -> None:
    marker = tmp_path / "state"
    bus, engine, metadata, handled = build(redis_url, database_url, consumer="observer",
                                           claim_idle_ms=600_000)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await bus.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    await bus.broker.connect()
    await bus.publish(STREAM, make_comment(body="in flight"))
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("consumer_child.py")),
                              redis_url, database_url, str(marker), "1.5"])
    try:
        await eventually(lambda: asyncio.sleep(0, marker.exists()), timeout=30)
        child.send_signal(signal.SIGTERM)  # mid-message: the handler is sleeping
        assert await asyncio.to_thread(child.wait, 30) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert marker.read_text() == "stopped"
    async with engine.connect() as conn:
        assert list((await conn.execute(sa.select(handled.c.value))).scalars()) == ["in flight"]
    assert int((await bus.redis.xpending(STREAM, GROUP))["pending"]) == 0
    await bus.redis.aclose()
    await engine.dispose()
