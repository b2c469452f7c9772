"""Standard Webhooks signing and verification (ingest receives, publish sends)."""

from __future__ import annotations

import base64
import binascii
import secrets as _secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


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


def verify(secrets: Iterable[str], body: str, headers: Mapping[str, str]) -> bool:
    """True when ``headers`` carry a valid, fresh (±5 min) signature by any of ``secrets``.

    Several secrets may be active at once, so an agency can rotate its key
    without downtime.
    """
    plain = {k.lower(): v for k, v in headers.items()}
    for secret in secrets:
        try:
            Webhook(secret).verify(body, plain, json_parse=False)
            return True
        except (WebhookVerificationError, ValueError, binascii.Error):
            continue
    return False
