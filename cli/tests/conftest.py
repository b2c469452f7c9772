"""An ingest app served by uvicorn on a free port, for commands that talk HTTP to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from wirestream.common.redis_server import free_port
from wirestream.ingest.main import create_app
from wirestream.ingest.settings import IngestSettings

ADMIN_TOKEN = "t"


@pytest.fixture
def ingest_env(monkeypatch: pytest.MonkeyPatch, redis_url: str, database_url: str) -> str:
    """Point the CLI (and any app it starts) at this test's Redis and database."""
    monkeypatch.setenv("WIRESTREAM_DATABASE_URL", database_url)
    monkeypatch.setenv("WIRESTREAM_REDIS_URL", redis_url)
    return database_url


@pytest.fixture
def served_ingest(ingest_env: str, redis_url: str) -> Iterator[str]:
    """The ingest app on 127.0.0.1 in a thread of its own; yields its base URL."""
    settings = IngestSettings(redis_url=redis_url, database_url=ingest_env,
                              admin_token=ADMIN_TOKEN, outbox_poll_s=0.05, log_json=False,
                              log_level="WARNING")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "ingest did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
