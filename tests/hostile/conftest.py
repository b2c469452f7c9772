"""One running platform for the hostile-input and authorisation tests of this directory.

It runs on PostgreSQL when the machine has one (NUL bytes and out-of-range
integers fail there, not on SQLite), else on SQLite; Redis is its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from wirestream.cli.dev import DEV_ADMIN_TOKEN

from ..chaos.stack import Stack, postgres_available

ADMIN = {"Authorization": f"Bearer {DEV_ADMIN_TOKEN}"}
BROWSER = {"X-Requested-With": "wirestream"}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    s = Stack(tmp_path_factory.mktemp("hostile"), postgres=await postgres_available())
    try:
        await s.up()
        yield s
    finally:
        await s.down()


def sign(secret: str, raw: bytes, *, msg_id: str | None = None,
         timestamp: int | None = None) -> dict[str, str]:
    """Standard Webhooks headers over the exact bytes (which need not be UTF-8)."""
    msg_id = msg_id or "msg_" + secrets.token_hex(12)
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + raw, hashlib.sha256).digest()
    return {"webhook-id": msg_id, "webhook-timestamp": stamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode()}


class Agency:
    """An agency registered through the admin API, posting signed documents."""

    def __init__(self, stack: Stack, name: str) -> None:
        self.base, self.name = stack.url("ingest"), name
        r = httpx.post(f"{self.base}/v1/admin/agencies", json={"name": name}, headers=ADMIN,
                       timeout=30)
        assert r.status_code in (201, 409), r.text
        self.secret = r.json().get("secret", "")

    async def post(self, body: bytes | str | dict[str, object],
                   content_type: str = "application/json", *,
                   headers: dict[str, str] | None = None) -> httpx.Response:
        if isinstance(body, dict):
            body = json.dumps(body, ensure_ascii=False)
        raw = body.encode() if isinstance(body, str) else body
        signed = headers if headers is not None else sign(self.secret, raw)
        async with httpx.AsyncClient(timeout=60) as c:
            return await c.post(f"{self.base}/v1/wire/{self.name}", content=raw,
                                headers={"content-type": content_type, **signed})


@pytest.fixture(scope="session")
def agency(stack: Stack) -> Agency:
    return Agency(stack, "hostile")


def samples() -> Path:
    return Path(__file__).resolve().parents[2] / "services/ingest/tests/samples"
