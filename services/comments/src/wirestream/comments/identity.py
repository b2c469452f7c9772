"""Who is asking: signed reader tokens, the site's JWTs, anonymous readers.

A reader token is ``wsr1.<reader_id>.<issued_at>.<signature>``, the signature
an HMAC-SHA256 of the rest under the reader secret: checking one needs no
database and no shared session store. A JWT from the site's own login names a
reader ``jwt:<sub>``. An anonymous reader is a display name at an address; its
id is a keyed hash of both, so a moderator can ban it without us storing IPs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt

from .errors import Unauthenticated

PREFIX = "wsr1"

ReaderKind = Literal["token", "jwt", "anonymous"]


@dataclass(frozen=True, slots=True)
class Identity:
    """A reader proven by a token (``token``/``jwt``) or claimed by name (``anonymous``)."""

    reader_id: str
    kind: ReaderKind
    display_name: str | None = None

    @property
    def verified(self) -> bool:
        return self.kind != "anonymous"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class ReaderTokens:
    """Issue and check reader tokens; ``secret`` None disables them."""

    def __init__(self, secret: str | None, *, ttl_s: int) -> None:
        self._key = secret.encode() if secret else None
        self.ttl_s = ttl_s

    @property
    def enabled(self) -> bool:
        return self._key is not None

    def _sign(self, payload: str) -> str:
        assert self._key is not None
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, reader_id: str, *, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        payload = f"{PREFIX}.{reader_id}.{issued}"
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str, *, now: float | None = None) -> str:
        """The token's reader id; :class:`Unauthenticated` when forged, mangled or expired."""
        return self.verify_until(token, now=now)[0]

    def verify_until(self, token: str, *, now: float | None = None) -> tuple[str, float]:
        """The token's reader id and when the token expires (epoch seconds)."""
        parts = token.split(".")
        if self._key is None or len(parts) != 4 or parts[0] != PREFIX:
            raise Unauthenticated("invalid-token", "Not a valid reader token.")
        payload, signature = ".".join(parts[:3]), parts[3]
        if not hmac.compare_digest(self._sign(payload), signature):
            raise Unauthenticated("invalid-token", "Not a valid reader token.")
        issued = int(parts[2]) if parts[2].isdigit() else 0
        if (now if now is not None else time.time()) - issued > self.ttl_s:
            raise Unauthenticated("token-expired", "The reader token has expired.")
        return parts[1], float(issued + self.ttl_s)

    def anonymous_id(self, display_name: str, ip: str) -> str:
        """A stable id for a name at an address, without storing either in the clear."""
        key = self._key or b"wirestream-anonymous"
        raw = f"{' '.join(display_name.casefold().split())}|{ip}".encode()
        return "anon:" + hmac.new(key, raw, hashlib.sha256).hexdigest()[:32]


class SiteJwt:
    """Check JWTs issued by the site's login (``key`` None: not accepted)."""

    def __init__(self, key: str | None, *, algorithms: list[str], issuer: str | None,
                 audience: str | None, name_claim: str) -> None:
        self.key = key
        self.algorithms = algorithms
        self.issuer = issuer
        self.audience = audience
        self.name_claim = name_claim

    def verify(self, token: str) -> Identity:
        return self.verify_until(token)[0]

    def verify_until(self, token: str) -> tuple[Identity, float]:
        """The login's identity and when the JWT expires (its ``exp``)."""
        if not self.key:
            raise Unauthenticated("invalid-token", "Site logins are not accepted here.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token, self.key, algorithms=self.algorithms, issuer=self.issuer,
                audience=self.audience,
                options={"require": ["sub", "exp"], "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("token-expired", "The login token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated("invalid-token", f"Invalid login token: {exc}") from exc
        sub = str(claims["sub"])
        if len(sub) > 70:  # keep ids within the column; the hash is as unique
            sub = hashlib.sha256(sub.encode()).hexdigest()[:40]
        name = claims.get(self.name_claim) or claims.get("preferred_username")
        return (Identity(f"jwt:{sub}", "jwt", str(name)[:80] if name else None),
                float(claims["exp"]))


CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Authenticator:
    """Turn an ``Authorization`` header into an :class:`Identity` (or None: anonymous).

    A token that verified is remembered (up to ``CACHE_SIZE`` of them, until it
    expires), so a reader's next request costs a dictionary look-up instead of
    an HMAC or a JWT signature check. Only exact strings that verified are
    remembered: a forged token is checked, and refused, every time.
    """

    tokens: ReaderTokens
    site_jwt: SiteJwt
    verified: dict[str, tuple[Identity, float]] = field(default_factory=dict)

    def identify(self, authorization: str | None, *, now: float | None = None) -> Identity | None:
        if not authorization:
            return None
        scheme, _, credentials = authorization.partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            raise Unauthenticated("invalid-token", "Use 'Authorization: Bearer <token>'.")
        now = time.time() if now is None else now
        known = self.verified.get(credentials)
        if known is not None and now < known[1]:
            return known[0]
        if credentials.startswith(PREFIX + "."):
            reader_id, until = self.tokens.verify_until(credentials, now=now)
            identity = Identity(reader_id, "token")
        else:
            identity, until = self.site_jwt.verify_until(credentials)
        if len(self.verified) >= CACHE_SIZE:
            self.verified.pop(next(iter(self.verified)))  # the oldest entry
        self.verified[credentials] = (identity, until)
        return identity
