"""Classifying answers, Retry-After, backoff; and the client follows no redirects, keeps no
cookies and reads answers only so far."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from standardwebhooks.webhooks import Webhook

from wirestream.common.webhooks import new_secret
from wirestream.publish.push.clients import OriginClients
from wirestream.publish.push.sender import Job, Sender, backoff, classify, retry_after
from wirestream.publish.push.ssrf import Guard

from .receiver import Receiver


def test_webhook_answers() -> None:
    assert classify("webhook", 204, {}).outcome == "ok"
    assert classify("webhook", 410, {}).outcome == "gone"
    assert classify("webhook", 404, {}).outcome == "retry"  # may be a deploy in progress
    assert classify("webhook", 500, {}).outcome == "retry"
    assert classify("webhook", 301, {}).outcome == "retry"
    limited = classify("webhook", 429, {"retry-after": "120"})
    assert (limited.outcome, limited.retry_after_s) == ("retry", 120)


def test_push_service_answers() -> None:
    assert classify("webpush", 201, {}).outcome == "ok"
    assert classify("webpush", 404, {}).outcome == "gone"
    assert classify("webpush", 410, {}).outcome == "gone"
    assert classify("webpush", 413, {}).outcome == "failed"
    assert classify("webpush", 503, {"retry-after": "7"}).retry_after_s == 7


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after("garbage", now) is None
    assert retry_after(None, now) is None


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    rng = random.Random(7)
    kw = {"base": 30.0, "factor": 4.0, "cap": 86400.0, "rng": rng}
    for attempt, ceiling in [(1, 30), (2, 120), (3, 480), (5, 7680), (9, 86400), (20, 86400)]:
        delays = [backoff(attempt, **kw) for _ in range(200)]  # type: ignore[arg-type]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8 and min(delays) < ceiling * 0.2


async def test_signed_post_and_no_redirects(receiver: Receiver) -> None:
    sender = Sender(Guard(allow_http=True, allow_private=True), vapid=None,
                    connect_timeout_s=1, timeout_s=2, per_origin=4)
    secret = new_secret()
    job = Job(delivery_id="msg_1", channel="webhook", target_id="sub_1",
              url=receiver.url("/hook"), body='{"a":1}', secret=secret)
    receiver.reply("/hook", (302, {"Location": receiver.url("/elsewhere")}))
    try:
        moved = await sender.send(job)
        ok = await sender.send(job)
    finally:
        await sender.aclose()
    assert (moved.outcome, moved.status_code) == ("retry", 302)
    assert "/elsewhere" not in receiver.received
    assert ok.outcome == "ok"
    first, second = receiver.received["/hook"]
    for req in (first, second):
        Webhook(secret).verify(req.body, req.headers)
        assert req.headers["webhook-id"] == "msg_1"


async def test_cookies_are_not_kept(receiver: Receiver) -> None:
    """A subscriber cannot set a cookie that later deliveries would carry."""
    clients = OriginClients(Guard(allow_http=True, allow_private=True), per_origin=2,
                            connect_timeout_s=1, timeout_s=2)
    receiver.reply("/c", (200, {"Set-Cookie": "session=abc; Path=/"}))
    try:
        for _ in range(2):
            status, _ = await clients.post(receiver.url("/c"), b"{}", {})
            assert status == 200
    finally:
        await clients.aclose()
    assert all("cookie" not in r.headers for r in receiver.received["/c"])
    # Only what the caller set, plus what HTTP needs: no Accept*, no guessed Content-Type.
    assert set(receiver.received["/c"][1].headers) == {"host", "user-agent", "content-length"}


async def test_a_long_answer_is_cut_off_and_its_connection_dropped() -> None:
    closed = asyncio.Event()

    async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n"
                     b"Content-Length: 100000000\r\n\r\n")
        try:
            while not reader.at_eof():
                writer.write(b"x" * 16384)
                await writer.drain()
                await asyncio.sleep(0)
        except ConnectionError:
            pass
        finally:
            closed.set()
            writer.close()

    server = await asyncio.start_server(endless, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = OriginClients(Guard(allow_http=True, allow_private=True), per_origin=2,
                            connect_timeout_s=1, timeout_s=2)
    try:
        async with asyncio.timeout(5):
            status, headers = await clients.post(f"http://127.0.0.1:{port}/", b"{}", {})
            await closed.wait()  # the client hung up rather than reading 100 MB
        assert (status, headers.get("retry-after")) == (429, "30")
        assert classify("webhook", status, headers).retry_after_s == 30
    finally:
        await clients.aclose()
        server.close()
        await server.wait_closed()
