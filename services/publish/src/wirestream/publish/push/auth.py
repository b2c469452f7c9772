"""Bearer tokens: the admin token, and each subscriber's own token for its delivery log.

Parsing and comparing are the platform's admin check (``wirestream.common.admin_auth``);
``bearer`` is kept as this package's name for it.
"""

from __future__ import annotations

import hashlib
import secrets

from wirestream.common.admin_auth import bearer_token as bearer
from wirestream.common.admin_auth import same_secret, unauthorized

__all__ = ["bearer", "new_subscriber_token", "same_secret", "token_hash", "unauthorized"]


def new_subscriber_token() -> str:
    return "wspt_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
