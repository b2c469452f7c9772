"""``wirestream ingest import``: backfill through the webhook or into the database."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import redis

from wirestream.cli.main import main
from wirestream.common.envelope import unpack_envelope
from wirestream.common.streams import ARTICLES_INGESTED
from wirestream.ingest.main import create_app
from wirestream.ingest.settings import IngestSettings

pytestmark = pytest.mark.postgres

SAMPLES = Path(__file__).resolve().parents[2] / "services" / "ingest" / "tests" / "samples"


def _events(redis_url: str, count: int, timeout: float = 15) -> list[dict]:  # type: ignore[type-arg]
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while True:
        entries: list[Any] = client.xrange(ARTICLES_INGESTED)  # type: ignore[assignment]
        if len(entries) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    client.close()
    return [json.loads(unpack_envelope(f[b"__data__"])[0]) for _, f in entries]


def _counts(out: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"^  (accepted|duplicate|refused)\s+(\d+)", out,
                                             re.M)}


def _backfill(root: Path) -> Path:
    """wna/ holds five documents (one refused, one a repeat); one file has no agency."""
    wna = root / "wna"
    wna.mkdir(parents=True)
    for name in ("ninjs1_en_text.json", "g2_newsitem_en.xml", "g2_newsitem_en_canceled.xml"):
        shutil.copy(SAMPLES / name, wna / name)
    shutil.copy(SAMPLES / "ninjs1_en_text.json", wna / "zz_repeat.json")
    (wna / "broken.json").write_text('{"headline": "no identifier"}')
    (wna / ".hidden.json").write_text("ignored")
    (root / "loose.json").write_text('{"uri": "urn:loose", "headline": "h"}')
    return root


def _run(*argv: str) -> int:
    return main(list(argv))


def test_import_through_the_webhook_then_again(served_ingest: str, redis_url: str,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("agency", "add", "wna", "--language", "en") == 0
    root = _backfill(tmp_path / "backfill")
    code = _run("ingest", "import", str(root), "--url", served_ingest, "--concurrency", "1")
    out, err = capsys.readouterr()
    assert code == 1  # some files were refused
    assert _counts(out) == {"accepted": 3, "duplicate": 1, "refused": 2}, out
    assert "new 2, killed 1" in out and "stale 1" in out
    assert "wna/broken.json: 422 missing-field" in out and "(at /uri)" in out
    assert "loose.json: no agency" in out
    assert "\r" in err and "6/6 files (100%)" in err
    events = _events(redis_url, 3)
    assert [e["event_type"] for e in events] == ["article.ingested", "article.killed",
                                                 "article.ingested"]  # files in name order

    # The same backfill again: every delivered file is answered as a replay.
    assert _run("ingest", "import", str(root), "--url", served_ingest) == 1
    out, _ = capsys.readouterr()
    assert _counts(out) == {"accepted": 0, "duplicate": 4, "refused": 2}, out
    assert "replayed 4" in out
    assert len(_events(redis_url, 4, timeout=1)) == 3


def test_import_a_zip_with_a_given_agency(served_ingest: str, redis_url: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("agency", "add", "wna") == 0
    archive = tmp_path / "wire.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("rss_en.xml", "atom_en.xml", "nitf_ar_correction.xml"):
            zf.write(SAMPLES / name, f"2024/03/{name}")
        zf.writestr("__MACOSX/._rss_en.xml", b"\x00junk")
    assert _run("ingest", "import", str(archive), "--agency", "wna", "--url",
                served_ingest) == 0
    out, _ = capsys.readouterr()
    assert _counts(out) == {"accepted": 4, "duplicate": 0, "refused": 0}, out
    assert len(_events(redis_url, 4)) == 4


def test_import_refuses_unknown_agencies_before_sending(ingest_env: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = _backfill(tmp_path / "backfill")
    assert _run("ingest", "import", str(root), "--url", "http://127.0.0.1:9") == 2
    assert "unknown or disabled agencies: wna" in capsys.readouterr().err
    assert _run("ingest", "import", str(tmp_path / "nowhere")) == 2


def test_direct_import_goes_through_the_outbox(ingest_env: str, redis_url: str,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("agency", "add", "wna", "--language", "ar") == 0
    archive = tmp_path / "wire.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SAMPLES / "ninjs2_ar_text.json", "a.json")
        zf.write(SAMPLES / "ninjs3_ar_kill.json", "b.json")
        zf.write(SAMPLES / "ninjs2_ar_text.json", "c.json")
        zf.writestr("big.json", b'{"uri": "urn:big", "headline": "' + b"x" * 4096 + b'"}')
    monkeypatch.setenv("WIRESTREAM_MAX_BODY_BYTES", "2048")
    assert _run("ingest", "import", str(archive), "--agency", "wna", "--direct") == 1
    out, _ = capsys.readouterr()
    assert _counts(out) == {"accepted": 2, "duplicate": 1, "refused": 1}, out
    assert "big.json: not read: 4" in out
    assert "relays them" in out
    assert _events(redis_url, 1, timeout=0.5) == []  # nothing runs the relay yet

    async def relay_once() -> None:
        app = create_app(IngestSettings(redis_url=redis_url, database_url=ingest_env,
                                        outbox_poll_s=0.05, log_json=False))
        async with app.router.lifespan_context(app):
            await asyncio.sleep(0.5)

    asyncio.run(relay_once())
    events = _events(redis_url, 2)
    assert [e["event_type"] for e in events] == ["article.ingested", "article.killed"]
