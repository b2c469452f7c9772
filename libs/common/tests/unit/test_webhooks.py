"""Standard Webhooks signatures: our verifier agrees with the reference library."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from standardwebhooks.webhooks import Webhook

from wirestream.common.webhooks import new_secret, sign_headers, verify


def test_signed_by_any_active_secret_verifies() -> None:
    old, new = new_secret(), new_secret()
    body = '{"uri": "urn:x", "headline": "مرحبا"}'
    headers = sign_headers(old, body)
    assert verify([new, old], body, headers)
    assert not verify([new], body, headers)
    Webhook(old).verify(body, headers)  # the reference library agrees


def test_tampered_body_stale_or_future_timestamp_and_garbage_are_refused() -> None:
    secret = new_secret()
    headers = sign_headers(secret, "body")
    assert not verify([secret], "body!", headers)
    stale = sign_headers(secret, "body", timestamp=datetime.now(UTC) - timedelta(minutes=6))
    assert not verify([secret], "body", stale)
    future = sign_headers(secret, "body", timestamp=datetime.now(UTC) + timedelta(minutes=6))
    assert not verify([secret], "body", future)
    assert not verify([secret], "body", {**headers, "webhook-signature": "v1,!!!"})
    assert not verify([secret], "body", {"webhook-id": "x"})
    assert not verify(["not-base64-$$"], "body", headers)


def test_bytes_in_any_encoding_verify_as_received() -> None:
    secret = new_secret()
    body = "<?xml version='1.0' encoding='utf-16'?><rss/>".encode("utf-16")
    msg_id, stamp = "msg_1", str(int(time.time()))
    import base64
    import hashlib
    import hmac

    key = base64.b64decode(secret.removeprefix("whsec_"))
    sig = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body,
                                    hashlib.sha256).digest()).decode()
    headers = {"webhook-id": msg_id, "webhook-timestamp": stamp,
               "webhook-signature": f"v1,{sig}"}
    assert verify([secret], body, headers)
