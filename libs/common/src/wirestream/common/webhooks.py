"""Standard Webhooks signing and verification (ingest receives, publish sends)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _secrets
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook


def new_secret() -> str:
    """A fresh ``whsec_`` secret (24 random bytes, base64)."""
    return "whsec_" + base64.b64encode(_secrets.token_bytes(24)).decode()


def sign_headers(secret: str, body: str, *, msg_id: str | None = None,
                 timestamp: datetime | None = None) -> dict[str, str]:
    """The three ``webhook-*`` headers for ``body`` signed with ``secret``."""
    msg_id = msg_id or "msg_" + _secrets.token_hex(12)
    timestamp = timestamp or datetime.now(UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, timestamp, body),
    }


TOLERANCE_S = 300


def verify(secrets: Iterable[str], body: str | bytes, headers: Mapping[str, str], *,
           tolerance_s: int = TOLERANCE_S, now: float | None = None) -> bool:
    """True when ``headers`` carry a valid, fresh (± ``tolerance_s``) signature by any secret.

    Several secrets may be active at once, so an agency can rotate its key
    without downtime. ``body`` is checked as the exact bytes received, so
    documents in any encoding (UTF-16 or Latin-1 XML) can be verified.
    """
    plain = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp = plain.get("webhook-id"), plain.get("webhook-timestamp", "")
    signatures = plain.get("webhook-signature", "")
    if not msg_id or not stamp.isdigit() or not signatures:
        return False
    if abs((now if now is not None else time.time()) - int(stamp)) > tolerance_s:
        return False
    raw = body.encode() if isinstance(body, str) else body
    signed = f"{msg_id}.{stamp}.".encode() + raw
    offered = []
    for part in signatures.split():
        version, _, sig = part.partition(",")
        if version == "v1":
            try:
                offered.append(base64.b64decode(sig, validate=True))
            except (ValueError, binascii.Error):
                continue
    for secret in secrets:
        try:
            key = _key(secret)
        except (ValueError, binascii.Error):
            continue
        expected = hmac.new(key, signed, hashlib.sha256).digest()
        if any(hmac.compare_digest(expected, sig) for sig in offered):
            return True
    return False


def _key(secret: str) -> bytes:
    text = secret.removeprefix("whsec_")
    return base64.b64decode(text + "=" * (-len(text) % 4))
