"""Whole-platform fixtures: the four services as separate processes, as ``wirestream dev`` runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wirestream.cli.dev import DEV_ADMIN_TOKEN, SERVICES, Platform
from wirestream.common.redis_server import LocalRedis, free_port
from wirestream.common.webhooks import sign_headers

SAMPLES = Path(__file__).parent / "samples"

FAST = {
    "WIRESTREAM_CLAIM_IDLE_MS": "1500",
    "WIRESTREAM_POLLING_INTERVAL_MS": "50",
    "WIRESTREAM_OUTBOX_POLL_S": "0.2",
    "WIRESTREAM_MAX_DELIVERIES": "3",
    "WIRESTREAM_GRACEFUL_TIMEOUT_S": "5",
    "WIRESTREAM_LOG_JSON": "true",
}


@pytest.fixture
def platform(tmp_path: Path, redis_server: LocalRedis, redis_url: str) -> Iterator[Platform]:
    p = Platform(data_dir=tmp_path / "data", redis_url=redis_url, quiet=True,
                 ports={s: free_port() for s in SERVICES}, extra_env=dict(FAST))
    try:
        p.up()
        yield p
    finally:
        p.down()
        for service in SERVICES:
            log = p.data_dir / f"{service}.log"
            if log.exists():
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"--- {service}.log (tail)\n" + "\n".join(tail))


class WireClient:
    """An agency pushing signed items to ingest."""

    def __init__(self, platform: Platform, name: str, language: str | None = None) -> None:
        self.base = platform.url("ingest")
        r = httpx.post(f"{self.base}/v1/admin/agencies",
                       json={"name": name, "default_language": language},
                       headers={"Authorization": f"Bearer {DEV_ADMIN_TOKEN}"}, timeout=10)
        assert r.status_code == 201, r.text
        self.name = name
        self.secret = r.json()["secret"]

    def send(self, document: dict | str | bytes, content_type: str = "application/json",
             **sign: object) -> httpx.Response:
        if isinstance(document, dict):
            body = json.dumps(document, ensure_ascii=False).encode()
        else:
            body = document.encode() if isinstance(document, str) else document
        headers = {"content-type": content_type,
                   **sign_headers(self.secret, body.decode(), **sign)}  # type: ignore[arg-type]
        return httpx.post(f"{self.base}/v1/wire/{self.name}", content=body, headers=headers,
                          timeout=10)


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text())
