"""Local HTTP servers that speak the translation engines' APIs, for the clients' tests.

Each is a real server on a free 127.0.0.1 port (a thread of this process). It
"translates" by prefixing every text run with ``[<target>]`` and leaves tags
alone, so a test can tell a translation from its original and check that
the HTML survived. ``script`` makes the next requests misbehave: ``"500"``,
``"429"`` or ``"sleep:<seconds>"`` (then answer normally).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_TAG = re.compile(r"(<[^>]*>)")


def fake_translate(fragment: str, target: str) -> str:
    parts = _TAG.split(fragment)
    return "".join(p if p.startswith("<") or not p.strip() else f"[{target}] {p}"
                   for p in parts)


@dataclass
class FakeEngine:
    kind: str  # "libretranslate" or "openai"
    api_key: str = "test-key"
    script: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeEngine:
        engine = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                engine.requests.append({"path": self.path, "body": body,
                                        "authorization": self.headers.get("Authorization")})
                step = engine.script.pop(0) if engine.script else "ok"
                if step.startswith("sleep:"):
                    time.sleep(float(step.split(":")[1]))
                elif step != "ok":
                    return self._send(int(step), {"error": f"scripted {step}"})
                status, answer = engine.answer(self.path, body, self.headers)
                self._send(status, answer)

            def _send(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout), as the tests intend

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, path: str, body: dict[str, Any], headers: Any) -> tuple[int, dict[str, Any]]:
        if self.kind == "libretranslate":
            return self._libretranslate(path, body)
        return self._openai(path, body, headers)

    def _libretranslate(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if path != "/translate":
            return 404, {"error": "Not Found"}
        if body.get("api_key") != self.api_key:
            return 403, {"error": "Invalid API key"}
        if body.get("format") != "html" or not body.get("source") or not body.get("target"):
            return 400, {"error": "Invalid request: format, source and target are required"}
        q = body["q"]
        out = [fake_translate(t, body["target"]) for t in (q if isinstance(q, list) else [q])]
        return 200, {"translatedText": out if isinstance(q, list) else out[0]}

    def _openai(self, path: str, body: dict[str, Any], headers: Any) -> tuple[int, dict[str, Any]]:
        if path != "/v1/chat/completions":
            return 404, {"error": {"message": "Not Found"}}
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"message": "Incorrect API key provided"}}
        system, user = body["messages"][0], body["messages"][1]
        assert system["role"] == "system" and "HTML" in system["content"], system
        found = re.search(r" to [^(]*\((\w+)\)", system["content"])
        target = found.group(1) if found else "?"
        return 200, {
            "id": "chatcmpl-test", "object": "chat.completion", "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": fake_translate(user["content"], target)}}],
        }
