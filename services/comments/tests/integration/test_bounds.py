"""Integer and cursor parameters are bounded: out-of-range or malformed values are a 4xx
problem naming the parameter, on SQLite and on PostgreSQL (where BIGINT/INTEGER overflow)."""

from __future__ import annotations

import base64

import pytest

from .conftest import ADMIN_TOKEN, Harness, bearer

PROBLEM = "application/problem+json"


def _cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("|".join(parts).encode()).decode().rstrip("=")


def _names(r: object, param: str) -> bool:
    body = r.json()  # type: ignore[attr-defined]
    return any(e["pointer"] == f"/{param}" for e in body.get("errors", []))


@pytest.mark.parametrize("before", [str(2**63), str(2**64 + 5), "-1", "0", "1e3", "9" * 400])
async def test_audit_before_out_of_range_is_a_problem(h: Harness, before: str) -> None:
    r = await h.client.get("/v1/admin/audit", params={"before": before},
                           headers=bearer(ADMIN_TOKEN))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert _names(r, "before")


async def test_audit_before_at_the_bigint_edge_is_answered(h: Harness) -> None:
    await h.staff_key()  # one audited action
    r = await h.client.get("/v1/admin/audit", params={"before": str(2**63 - 1)},
                           headers=bearer(ADMIN_TOKEN))
    assert r.status_code == 200, r.text
    assert [e["action"] for e in r.json()["entries"]] == ["create-key"]


@pytest.mark.parametrize(("path", "limit"), [
    ("/v1/articles/art1/comments", "201"), ("/v1/articles/art1/comments", str(2**63)),
    ("/v1/articles/art1/comments", "0"), ("/v1/articles/art1/comments", "ten"),
    ("/v1/admin/audit", "501"), ("/v1/admin/audit", str(2**63)), ("/v1/admin/audit", "-5"),
    ("/v1/moderation/queue", "201"), ("/v1/moderation/queue", str(2**64)),
])
async def test_limit_out_of_range_is_a_problem(h: Harness, path: str, limit: str) -> None:
    r = await h.client.get(path, params={"limit": limit}, headers=bearer(ADMIN_TOKEN))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM) and _names(r, "limit")


@pytest.mark.parametrize("cursor", [
    _cursor("r", str(2**31), "1700000000000000", "c1"),       # INTEGER overflow
    _cursor("r", str(2**63), "1700000000000000", "c1"),       # BIGINT overflow
    _cursor("r", "-1", "1700000000000000", "c1"),
    _cursor("r", "\u0663", "1700000000000000", "c1"),         # a non-ASCII digit
    _cursor("r", "1_0", "1700000000000000", "c1"),
    _cursor("r", "3", str(2**63), "c1"),                     # beyond any timestamp
    _cursor("r", "3", str(-(2**70)), "c1"),
    _cursor("r", "3", "1700000000000000", "c" * 65),          # longer than any comment id
])
async def test_out_of_range_cursor_is_a_problem(h: Harness, cursor: str) -> None:
    article = await h.open_article()
    assert (await h.post(article, "A comment to page over.")).status_code == 201
    r = await h.client.get(f"/v1/articles/{article}/comments",
                           params={"sort": "reacted", "cursor": cursor})
    assert r.status_code == 400, r.text
    assert r.json()["type"].endswith("/invalid-cursor") and _names(r, "cursor")


@pytest.mark.parametrize("cursor", [
    _cursor("o", str(2**63), "c1"), _cursor("o", "1700000000000000", "c" * 65), "%%%",
])
async def test_moderation_queue_cursor_is_bounded(h: Harness, cursor: str) -> None:
    key = await h.staff_key()
    r = await h.client.get("/v1/moderation/queue", params={"cursor": cursor},
                           headers=bearer(key))
    assert r.status_code == 400, r.text
    assert r.json()["type"].endswith("/invalid-cursor") and _names(r, "cursor")


async def test_the_largest_valid_cursor_pages_normally(h: Harness) -> None:
    article = await h.open_article()
    assert (await h.post(article, "Only comment here.")).status_code == 201
    top = _cursor("r", str(2**31 - 1), "253402300799999999", "z" * 64)  # 9999-12-31
    r = await h.client.get(f"/v1/articles/{article}/comments",
                           params={"sort": "reacted", "cursor": top})
    assert r.status_code == 200, r.text
    assert [c["body"] for c in r.json()["comments"]] == ["Only comment here."]
