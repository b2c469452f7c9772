"""Web Push for readers: RFC 8291 encryption (pywebpush), RFC 8292 VAPID, RFC 8030 headers."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPusher

# IPTC urgency (1 most urgent) -> RFC 8030 Urgency, and how long a push service keeps it.
URGENCY = {1: "high", 2: "high", 3: "normal", 4: "normal", 5: "low", 6: "low",
           7: "very-low", 8: "very-low", 9: "very-low"}
TTL_S = {"high": 3600, "normal": 6 * 3600, "low": 12 * 3600, "very-low": 24 * 3600}
BREAKING_URGENCY = 2  # "breaking" followers get items at least this urgent
_VAPID_LIFETIME_S = 12 * 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def urgency_for(iptc_urgency: int | None) -> str:
    return URGENCY.get(iptc_urgency or 0, "normal")


def topic_for(key: str) -> str:
    """An RFC 8030 Topic (at most 32 base64url characters) naming ``key``."""
    return b64url(hashlib.sha256(key.encode()).digest()[:24])


def generate_private_key() -> str:
    """A new VAPID private key: the raw 32-byte P-256 scalar, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def valid_keys(p256dh: str, auth: str) -> bool:
    """A browser's keys: an uncompressed P-256 point and a 16-byte auth secret."""
    try:
        point, secret = b64url_decode(p256dh), b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        return False
    return len(point) == 65 and len(secret) == 16


def encrypt(body: bytes, *, p256dh: str, auth: str) -> bytes:
    """``body`` encrypted for one browser (aes128gcm, a fresh ephemeral key each time)."""
    pusher = WebPusher({"endpoint": "", "keys": {"p256dh": p256dh, "auth": auth}})
    return bytes(pusher.encode(body, "aes128gcm")["body"])


class VapidSigner:
    """Signs VAPID tokens per push-service origin, reusing each for most of its lifetime."""

    def __init__(self, private_key: str, subject: str) -> None:
        key = private_key.strip()
        self.vapid = (Vapid.from_pem(key.encode()) if key.startswith("-----BEGIN")
                      else Vapid.from_string(key))
        self.subject = subject
        self._cache: dict[str, tuple[str, float]] = {}

    @property
    def public_key(self) -> str:
        """The applicationServerKey browsers subscribe with (uncompressed point, base64url)."""
        return b64url(self.vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    def authorization(self, endpoint: str) -> str:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        cached = self._cache.get(audience)
        if cached and cached[1] - now > _VAPID_LIFETIME_S / 2:
            return cached[0]
        expires = int(now) + _VAPID_LIFETIME_S
        header = self.vapid.sign({"aud": audience, "sub": self.subject, "exp": expires})
        self._cache[audience] = (header["Authorization"], expires)
        return header["Authorization"]

    def headers(self, endpoint: str, *, urgency: int | None, topic: str | None) -> dict[str, str]:
        level = urgency_for(urgency)
        headers = {"Authorization": self.authorization(endpoint), "TTL": str(TTL_S[level]),
                   "Urgency": level, "Content-Encoding": "aes128gcm",
                   "Content-Type": "application/octet-stream"}
        if topic:
            headers["Topic"] = topic
        return headers
