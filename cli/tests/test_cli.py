"""The wirestream command against real stores: agencies in SQLite, dead letters in Redis."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis.asyncio as aioredis

from wirestream.cli.main import main
from wirestream.common.streams import DEAD_LETTERS


def test_agency_commands_manage_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WIRESTREAM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WIRESTREAM_DATABASE_URL", raising=False)
    assert main(["agency", "add", "rt", "--language", "ar"]) == 0
    first = capsys.readouterr().out
    assert "secret: whsec_" in first
    assert main(["agency", "add", "rt"]) == 1  # already exists
    capsys.readouterr()
    assert main(["agency", "rotate", "rt"]) == 0
    assert "new secret: whsec_" in capsys.readouterr().out
    assert main(["agency", "list"]) == 0
    listing = capsys.readouterr().out
    assert "rt\tactive\tsecrets=2\tlang=ar" in listing
    assert (tmp_path / "ingest.db").exists()


async def test_deadletter_commands_list_and_replay(redis_url: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    r = aioredis.Redis.from_url(redis_url)
    dl_id = (await r.xadd(DEAD_LETTERS, {
        "stream": "s1", "group": "g", "message_id": "1-0", "data": b"payload",
        "reason": "invalid", "error": "boom", "deliveries": 1, "failed_at": "now"})).decode()
    # The CLI runs its own event loop, so call it from a thread.
    import asyncio

    code = await asyncio.to_thread(main, ["deadletter", "--redis-url", redis_url, "list"])
    assert code == 0
    assert f"{dl_id}\ts1\tg\tinvalid" in capsys.readouterr().out
    code = await asyncio.to_thread(main, ["deadletter", "--redis-url", redis_url, "replay",
                                          "--all"])
    assert code == 0 and "replayed 1" in capsys.readouterr().out
    assert await r.xlen(DEAD_LETTERS) == 0
    [(_, fields)] = await r.xrange("s1")
    assert fields[b"__data__"] == b"payload"
    await r.aclose()
