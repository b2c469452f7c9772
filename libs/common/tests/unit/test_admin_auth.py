"""Admin Bearer tokens: the scheme is required, the token compared in constant time."""

from __future__ import annotations

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import SecretStr

from wirestream.common.admin_auth import admin_guard, bearer_token, same_secret
from wirestream.common.problems import PROBLEM_JSON, install_problem_handlers


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer s3cret", "s3cret"),
    ("bearer s3cret", "s3cret"),
    ("BEARER   s3cret  ", "s3cret"),
    ("s3cret", ""),                  # no scheme: refused, not read as the token
    ("Basic s3cret", ""),
    ("Bearers3cret", ""),
    ("Bearer", ""),
    ("Token Bearer s3cret", ""),
    ("", ""),
    (None, ""),
])
def test_only_the_bearer_scheme_yields_a_token(header: str | None, token: str) -> None:
    assert bearer_token(header) == token


def test_same_secret_needs_both_sides_and_an_exact_match() -> None:
    assert same_secret("abc", "abc")
    assert same_secret("abc", SecretStr("abc"))
    assert not same_secret("abc", "abcd")
    assert not same_secret("abcd", "abc")
    assert not same_secret("", "")
    assert not same_secret("abc", None)
    assert not same_secret("", SecretStr(""))
    assert same_secret("مفتاح", "مفتاح")  # non-ASCII tokens compare as UTF-8


def _app(token: str | None) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/admin", dependencies=[Depends(admin_guard(lambda: token))])
    async def admin() -> dict[str, bool]:
        return {"ok": True}

    return app


async def _get(app: FastAPI, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/admin", headers=headers)


@pytest.mark.parametrize("headers", [
    {"Authorization": "s3cret"},           # missing scheme
    {"Authorization": "Bearer wrong"},     # wrong token
    {"Authorization": "Basic s3cret"},     # wrong scheme
    {},                                    # no header
])
async def test_guard_refuses_with_problem_json(headers: dict[str, str]) -> None:
    r = await _get(_app("s3cret"), headers)
    assert r.status_code == 401
    assert r.headers["content-type"] == PROBLEM_JSON
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json()["type"].endswith("/unauthorized")


async def test_guard_admits_the_right_token_in_any_scheme_case() -> None:
    for scheme in ("Bearer", "bearer"):
        r = await _get(_app("s3cret"), {"Authorization": f"{scheme} s3cret"})
        assert r.status_code == 200
        assert r.json() == {"ok": True}


async def test_no_configured_token_refuses_everyone() -> None:
    r = await _get(_app(None), {"Authorization": "Bearer "})
    assert r.status_code == 401
