"""A real HTTP server on 127.0.0.1 serving one RSS feed with ETag / Last-Modified."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


def rss(items: list[tuple[str, str]], language: str = "en") -> bytes:
    """An RSS 2.0 document with one ``<item>`` per (guid, title)."""
    body = "".join(f"<item><guid>{escape(g)}</guid><title>{escape(t)}</title>"
                   f"<description>About {escape(t)}</description></item>" for g, t in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Test wire</title><language>{language}</language>{body}</channel></rss>"
            ).encode()


@dataclass
class Feed:
    """What the server answers; change it between polls. Requests are recorded."""

    body: bytes = b""
    etag: str = '"v0"'
    last_modified: str = format_datetime(datetime(2024, 3, 1, tzinfo=UTC), usegmt=True)
    status: int = 200
    content_type: str = "application/rss+xml"
    requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, body: bytes, etag: str) -> None:
        with self.lock:
            self.body, self.etag, self.status = body, etag, 200
            self.last_modified = format_datetime(datetime.now(UTC), usegmt=True)


def _handler(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's naming
            with feed.lock:
                feed.requests.append({k.lower(): v for k, v in self.headers.items()})
                if feed.status != 200:
                    self.send_response(feed.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == feed.etag:
                    self.send_response(304)
                    self.send_header("ETag", feed.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", feed.content_type)
                self.send_header("Content-Length", str(len(feed.body)))
                self.send_header("ETag", feed.etag)
                self.send_header("Last-Modified", feed.last_modified)
                self.end_headers()
                self.wfile.write(feed.body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving(feed: Feed) -> Iterator[str]:
    """Serve ``feed`` on a free loopback port; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feed))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()
