"""Bearer tokens for admin APIs: one parser, one constant-time check, one 401.

Every service's admin API is guarded the same way: ``Authorization: Bearer
<token>`` (the scheme matched case-insensitively, RFC 9110 §11.1), compared
in constant time with the configured token. A bare ``Authorization: <token>``
is refused: accepting it once made the scheme optional, and a token that
leaks into another header or a log line should not work as it stands.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header
from pydantic import SecretStr

from .problems import Problem

Secret = str | SecretStr | None


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; ``''`` for anything else."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def same_secret(given: str, expected: Secret) -> bool:
    """Constant-time comparison; an empty ``given`` or an unset ``expected`` matches nothing.

    Both sides are hashed first so the comparison takes as long whatever the
    lengths (``compare_digest`` returns early on a length mismatch).
    """
    if isinstance(expected, SecretStr):
        expected = expected.get_secret_value()
    if not given or not expected:
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(),
                               hashlib.sha256(expected.encode()).digest())


def unauthorized(title: str = "Admin token required") -> Problem:
    """The 401 problem+json every admin check answers, with ``WWW-Authenticate: Bearer``."""
    return Problem(401, "unauthorized", title, headers={"WWW-Authenticate": "Bearer"})


def check_admin(authorization: str | None, expected: Secret) -> None:
    """Raise :func:`unauthorized` unless ``authorization`` is ``Bearer <expected>``."""
    if not same_secret(bearer_token(authorization), expected):
        raise unauthorized()


def admin_guard(expected: Callable[[], Secret]) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency requiring the admin token ``expected()`` returns.

    ``expected`` is called per request, so a service that reloads its settings
    is checked against the current token.
    """

    async def require_admin(authorization: Annotated[str | None, Header()] = None) -> None:
        check_admin(authorization, expected())

    return require_admin
