"""Known attacks through the real webhook and the real comments API, on a running platform.

Refused documents get their problem answer quickly and store nothing; accepted
documents carrying hostile text reach the site defused.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from wirestream.common.testing import eventually

from ..chaos.stack import Stack
from .attacks import DEFUSED, REFUSED, RLO, SCRIPT, Attack
from .conftest import BROWSER, Agency, sign
from .htmlcheck import dangers

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]



@pytest.mark.parametrize("attack", REFUSED, ids=[a.name for a in REFUSED])
async def test_refused_with_its_problem(agency: Agency, attack: Attack) -> None:
    # No wall-time assertion: the client's timeout fails a request that hangs, and
    # test_bounds.py holds each worst case to a CPU budget.
    r = await agency.post(attack.body, attack.content_type)
    status, kind = attack.expect
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    if kind:
        assert r.json()["type"].endswith("/" + kind), r.json()


async def _page(stack: Stack, article_id: str) -> str | None:
    async with httpx.AsyncClient(timeout=10) as c:
        r = await c.get(f"{stack.url('publish')}/api/articles/{article_id}")
        if r.status_code != 200:
            return None
        return (await c.get(stack.url("publish") + r.json()["url"])).text


@pytest.mark.parametrize("attack", [
    pytest.param(a, marks=pytest.mark.xfail(strict=True, reason=a.known_bug) if a.known_bug
                 else ()) for a in DEFUSED], ids=[a.name for a in DEFUSED])
async def test_hostile_text_reaches_the_site_defused(stack: Stack, agency: Agency,
                                                     attack: Attack) -> None:
    r = await agency.post(attack.body, attack.content_type)
    assert r.status_code == 202, r.text[:500]
    page = await eventually(lambda: _page(stack, r.json()["article_id"]), timeout=60)
    assert not dangers(page), f"{attack.name}: the page carries {dangers(page)}"


async def test_signature_attacks_are_refused(agency: Agency) -> None:
    body = b'{"uri": "urn:hostile:sig", "headlines": [{"value": "x"}]}'
    cases = {
        "no headers": {},
        "wrong secret": sign("whsec_" + "A" * 32, body),
        "stale timestamp": sign(agency.secret, body, timestamp=int(time.time()) - 3600),
        "future timestamp": sign(agency.secret, body, timestamp=int(time.time()) + 3600),
        "other body": sign(agency.secret, body + b" "),
    }
    for name, headers in cases.items():
        r = await agency.post(body, headers=headers)
        assert r.status_code == 401, f"{name}: {r.status_code} {r.text[:200]}"
    long_id = sign(agency.secret, body, msg_id="m" * 5000)
    assert (await agency.post(body, headers=long_id)).status_code == 400


async def test_one_agency_cannot_post_as_another(stack: Stack, agency: Agency) -> None:
    other = Agency(stack, "hostile-other")
    body = b'{"uri": "urn:hostile:as-other", "headlines": [{"value": "x"}]}'
    r = await other.post(body, headers=sign(agency.secret, body))
    assert r.status_code == 401


async def test_hostile_comments_are_refused_or_defused(stack: Stack, agency: Agency) -> None:
    posted = await agency.post({"uri": "urn:hostile:comments", "version": "1", "language": "en",
                                "headlines": [{"value": "Commentable"}],
                                "bodies": [{"contentType": "text/plain", "value": "Text."}]})
    article_id = posted.json()["article_id"]
    url = f"{stack.url('comments')}/v1/articles/{article_id}/comments"
    async with httpx.AsyncClient(timeout=30) as c:

        async def post(body: object, headers: dict[str, str] = BROWSER) -> httpx.Response:
            return await c.post(url, json=body, headers=headers)

        first = await eventually(lambda: _open(post), timeout=60)
        assert first.status_code == 201
        hostile = await post({"author": f"Eve{RLO}", "body": f"{RLO}Hi\u0000 {SCRIPT}"})
        assert hostile.status_code in (201, 422), hostile.text
        if hostile.status_code == 201:
            shown = hostile.json()
            assert not dangers(shown["body_html"]), shown["body_html"]
            assert not dangers(shown["author"]), shown["author"]
        assert (await post({"author": "x", "body": "y" * 100_000})).status_code == 413
        assert (await post({"author": "x", "body": "no header"}, headers={})).status_code == 403
        assert (await post({"author": "x", "body": "   "})).status_code == 422
        nested = await c.post(url, content=b'{"body": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
                              headers={**BROWSER, "content-type": "application/json"})
        assert nested.status_code in (400, 413, 422), nested.text[:300]
        bad = await c.post(url, content=b'{"author": "x", "body": "\xff\xfe"}',
                           headers={**BROWSER, "content-type": "application/json"})
        assert bad.status_code in (400, 422), bad.text[:300]


async def _open(post) -> httpx.Response | None:  # type: ignore[no-untyped-def]
    r = await post({"author": "Reader", "body": "A first, ordinary comment."})
    if r.status_code == 404:  # comments has not read the article's event yet
        await asyncio.sleep(0.2)
        return None
    return r  # type: ignore[no-any-return]
