"""ExternalScorer against a real HTTP server on 127.0.0.1: answers, hangs, errors."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from wirestream.comments.moderation import (
    CommentCandidate,
    ExternalScorer,
    ModerationConfig,
    ModerationStatus,
    ScorerUnavailable,
    Step,
    moderate,
)

MakeCandidate = Callable[..., CommentCandidate]


class ScoringServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()  # lets hanging requests finish at teardown

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: ScoringServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, **payload})
        if self.path == "/score":
            score = 0.95 if "nasty" in payload["text"] else 0.05
            self._reply(200, json.dumps({"score": score}).encode())
        elif self.path == "/hang":
            self.server.release.wait(10)
            self._reply(200, b'{"score": 0.0}')
        elif self.path == "/error":
            self._reply(500, b'{"detail": "internal error"}')
        elif self.path == "/garbage":
            self._reply(200, b"<html>not json</html>", "text/html")
        elif self.path == "/out-of-range":
            self._reply(200, b'{"score": 7}')
        else:
            self._reply(404, b"{}")


@pytest.fixture(scope="module")
def server() -> Iterator[ScoringServer]:
    srv = ScoringServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


def scorer_for(url: str, client: httpx.AsyncClient, timeout: float = 0.3) -> ExternalScorer:
    return ExternalScorer(url, client=client, timeout=timeout, threshold=0.8)


async def test_the_score_is_read_from_the_server(
    server: ScoringServer, client: httpx.AsyncClient
) -> None:
    scorer = scorer_for(f"{server.base}/score", client)
    marker = uuid.uuid4().hex
    assert await scorer.score(f"a nice comment {marker}", language="en") == 0.05
    assert await scorer.score("a nasty comment", language="en") == 0.95
    sent = next(r for r in server.requests if marker in r.get("text", ""))
    assert sent == {"path": "/score", "text": f"a nice comment {marker}", "language": "en"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/hang", "timed out"),
        ("/error", "HTTP 500"),
        ("/missing", "HTTP 404"),
        ("/garbage", "invalid response"),
        ("/out-of-range", "invalid response"),
    ],
)
async def test_failures_raise_scorer_unavailable(
    server: ScoringServer, client: httpx.AsyncClient, path: str, message: str
) -> None:
    with pytest.raises(ScorerUnavailable, match=message):
        await scorer_for(f"{server.base}{path}", client).score("text", language="en")


async def test_connection_refused_raises_scorer_unavailable(client: httpx.AsyncClient) -> None:
    closed = ScoringServer()  # bound, then closed: nothing listens on that port any more
    url = f"{closed.base}/score"
    closed.server_close()
    with pytest.raises(ScorerUnavailable):
        await scorer_for(url, client).score("text", language="en")


@pytest.mark.parametrize(
    ("path", "body", "status", "reason"),
    [
        ("/score", "A fine comment", ModerationStatus.APPROVED, "scorer-passed"),
        ("/score", "A nasty comment", ModerationStatus.PENDING, "scorer-flagged"),
        ("/hang", "A fine comment", ModerationStatus.PENDING, "scorer-unavailable"),
        ("/error", "A fine comment", ModerationStatus.PENDING, "scorer-unavailable"),
    ],
)
async def test_pipeline_with_a_real_scorer(
    server: ScoringServer,
    client: httpx.AsyncClient,
    make_candidate: MakeCandidate,
    path: str,
    body: str,
    status: ModerationStatus,
    reason: str,
) -> None:
    config = ModerationConfig(scorer_url=f"{server.base}{path}", scorer_timeout=0.3)
    scorer = ExternalScorer.from_config(config, client=client)
    assert scorer is not None
    result = await moderate(make_candidate(body), config=config, scorer=scorer)
    decision = next(d for d in result.decisions if d.step is Step.SCORER)
    assert (result.status, decision.reason) == (status, reason)


async def test_from_config_without_url_gives_no_scorer(client: httpx.AsyncClient) -> None:
    assert ExternalScorer.from_config(ModerationConfig(), client=client) is None
