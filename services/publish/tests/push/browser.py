"""A browser's side of Web Push, for tests: its keys, decryption and VAPID checks."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from wirestream.publish.push.webpush import b64url, b64url_decode


@dataclass
class Browser:
    """A P-256 key pair and auth secret, as ``PushManager.subscribe`` makes them."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def keys(self) -> dict[str, str]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}

    def decrypt(self, body: bytes) -> Any:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth_secret,
                                 version="aes128gcm")
        return json.loads(plain)


def verify_vapid(authorization: str, public_key: str) -> dict[str, Any]:
    """Check an RFC 8292 ``vapid t=<JWT>,k=<key>`` header; returns the JWT claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(p.split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key
    signing_input, _, signature = parts["t"].rpartition(".")
    header = json.loads(b64url_decode(signing_input.split(".")[0]))
    assert header == {"typ": "JWT", "alg": "ES256"}
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(parts["k"]))
    key.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))  # raises if invalid
    claims: dict[str, Any] = json.loads(b64url_decode(signing_input.split(".")[1]))
    assert claims["exp"] > time.time()
    return claims
