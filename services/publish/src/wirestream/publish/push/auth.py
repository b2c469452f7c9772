"""Bearer tokens: the admin token, and each subscriber's own token for its delivery log.

``bearer`` and ``same_secret`` are what ingest's admin check does too; they
belong in ``wirestream.common`` once both services use them from there.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pydantic import SecretStr

from wirestream.common.problems import Problem


def bearer(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer ...`` header ('' if none)."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def same_secret(given: str, expected: str | SecretStr | None) -> bool:
    """Constant-time comparison; an unset expected secret matches nothing."""
    if isinstance(expected, SecretStr):
        expected = expected.get_secret_value()
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def new_subscriber_token() -> str:
    return "wspt_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unauthorized(title: str = "Admin token required") -> Problem:
    return Problem(401, "unauthorized", title, headers={"WWW-Authenticate": "Bearer"})
