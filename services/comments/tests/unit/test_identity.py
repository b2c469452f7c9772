"""Reader tokens, site JWTs and anonymous ids, without any I/O."""

from __future__ import annotations

import time

import jwt
import pytest

from wirestream.comments.errors import Unauthenticated
from wirestream.comments.identity import Authenticator, ReaderTokens, SiteJwt

SECRET = "a-reader-secret"


def _jwt(**kw: object) -> SiteJwt:
    fields: dict[str, object] = {"algorithms": ["HS256"], "issuer": "https://site",
                                 "audience": "comments", "name_claim": "name"}
    return SiteJwt("k" * 32, **(fields | kw))  # type: ignore[arg-type]


def test_tokens_round_trip_and_refuse_tampering() -> None:
    tokens = ReaderTokens(SECRET, ttl_s=3600)
    token = tokens.issue("rdr_abc", now=1000)
    assert tokens.verify(token, now=1001) == "rdr_abc"
    prefix, rid, issued, sig = token.split(".")
    for bad in (f"{prefix}.rdr_abd.{issued}.{sig}", f"{prefix}.{rid}.{int(issued) + 1}.{sig}",
                token + "x", "wsr1.a.b", ""):
        with pytest.raises(Unauthenticated):
            tokens.verify(bad, now=1001)
    with pytest.raises(Unauthenticated):
        ReaderTokens("another", ttl_s=3600).verify(token, now=1001)


def test_tokens_expire() -> None:
    tokens = ReaderTokens(SECRET, ttl_s=60)
    token = tokens.issue("rdr_abc", now=1000)
    with pytest.raises(Unauthenticated) as info:
        tokens.verify(token, now=1061)
    assert info.value.code == "token-expired"


def test_without_a_secret_there_are_no_tokens() -> None:
    tokens = ReaderTokens(None, ttl_s=60)
    assert not tokens.enabled
    with pytest.raises(Unauthenticated):
        tokens.verify("wsr1.rdr_abc.1000.sig")


def test_anonymous_ids_fold_the_name_and_keep_the_address() -> None:
    tokens = ReaderTokens(SECRET, ttl_s=60)
    a = tokens.anonymous_id("Omar  Said", "192.0.2.1")
    assert a == tokens.anonymous_id("omar said", "192.0.2.1")
    assert a != tokens.anonymous_id("Omar Said", "192.0.2.2")
    assert a.startswith("anon:") and "192" not in a


def test_site_jwt_claims() -> None:
    verifier = _jwt()
    now = int(time.time())
    claims = {"sub": "u1", "name": "Samir", "iss": "https://site", "aud": "comments",
              "exp": now + 60}
    identity = verifier.verify(jwt.encode(claims, "k" * 32, algorithm="HS256"))
    assert (identity.reader_id, identity.kind, identity.display_name) == (
        "jwt:u1", "jwt", "Samir")
    long_sub = verifier.verify(jwt.encode(claims | {"sub": "x" * 200}, "k" * 32,
                                          algorithm="HS256"))
    assert len(long_sub.reader_id) <= 80
    for bad in (claims | {"iss": "https://evil"}, {k: v for k, v in claims.items() if k != "exp"},
                claims | {"exp": now - 5}):
        with pytest.raises(Unauthenticated):
            verifier.verify(jwt.encode(bad, "k" * 32, algorithm="HS256"))
    none_alg = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    with pytest.raises(Unauthenticated):
        verifier.verify(none_alg)
    with pytest.raises(Unauthenticated):
        SiteJwt(None, algorithms=["HS256"], issuer=None, audience=None,
                name_claim="name").verify("anything")


def test_authenticator_routes_tokens_by_kind() -> None:
    tokens = ReaderTokens(SECRET, ttl_s=3600)
    auth = Authenticator(tokens, _jwt())
    assert auth.identify(None) is None
    identity = auth.identify(f"Bearer {tokens.issue('rdr_x')}")
    assert identity is not None and identity.kind == "token" and identity.verified
    for header in ("Basic abc", "Bearer ", "Bearer not-a-jwt"):
        with pytest.raises(Unauthenticated):
            auth.identify(header)


def test_a_verified_token_is_remembered_until_it_expires() -> None:
    tokens = ReaderTokens(SECRET, ttl_s=100)
    auth = Authenticator(tokens, _jwt())
    token = tokens.issue("rdr_c", now=1000)
    assert auth.identify(f"Bearer {token}", now=1010).reader_id == "rdr_c"  # type: ignore[union-attr]
    assert auth.verified[token][1] == 1100
    assert auth.identify(f"Bearer {token}", now=1099).reader_id == "rdr_c"  # type: ignore[union-attr]
    with pytest.raises(Unauthenticated):  # the cached entry does not outlive the token
        auth.identify(f"Bearer {token}", now=1101)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for _ in range(2):  # a forgery is checked (and refused) every time, never remembered
        with pytest.raises(Unauthenticated):
            auth.identify(f"Bearer {forged}", now=1010)
    assert forged not in auth.verified


def test_remembered_logins_keep_their_expiry_and_the_cache_is_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import wirestream.comments.identity as identity_module

    monkeypatch.setattr(identity_module, "CACHE_SIZE", 3)
    auth = Authenticator(ReaderTokens(SECRET, ttl_s=3600), _jwt())
    exp = int(time.time()) + 60
    logins = [jwt.encode({"sub": f"u{i}", "exp": exp, "iss": "https://site",
                          "aud": "comments", "name": f"U{i}"}, "k" * 32, algorithm="HS256")
              for i in range(5)]
    for token in logins:
        assert auth.identify(f"Bearer {token}").display_name is not None  # type: ignore[union-attr]
    assert list(auth.verified) == logins[2:]  # the oldest went first
    assert {until for _, until in auth.verified.values()} == {exp}
