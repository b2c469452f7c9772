"""Authorisation across the services, on the running platform.

Every admin, moderation and subscription-management operation each service's
OpenAPI document lists is called without a token, with a wrong one, with a
reader's token and with a subscriber's: each must be refused (401/403), never
served and never a 5xx. Then the roles: a moderator is not an admin, a revoked
key is nobody, a reader cannot change another reader's comment, a subscriber
cannot read another subscriber's delivery log.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from wirestream.common.testing import eventually

from ..chaos.stack import Stack
from .conftest import ADMIN, BROWSER, Agency

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

PRIVILEGED = re.compile(r"^/v1/(admin|moderation|push/subscriptions)(/|$)")
# Subscriber-owned routes also accept the subscriber's own token (checked below).
OWNER_ROUTES = re.compile(r"^/v1/push/subscriptions/\{sub_id\}(/deliveries.*)?$")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as c:
        yield c


async def _operations(client: httpx.AsyncClient, stack: Stack) -> list[tuple[str, str, str]]:
    found = []
    for service in ("ingest", "enrich", "publish", "comments"):
        doc = (await client.get(stack.url(service) + "/openapi.json")).json()
        for path, item in doc["paths"].items():
            if PRIVILEGED.match(path):
                found += [(service, method.upper(), path) for method in item
                          if method in ("get", "post", "put", "patch", "delete")]
    return found


async def _reader(client: httpx.AsyncClient, stack: Stack, name: str) -> str:
    r = await client.post(stack.url("comments") + "/v1/readers",
                          json={"display_name": name}, headers=BROWSER)
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


async def test_no_privileged_operation_without_the_right_token(
        stack: Stack, client: httpx.AsyncClient) -> None:
    operations = await _operations(client, stack)
    assert len(operations) >= 10, operations  # the documents do list them
    reader = await _reader(client, stack, "Mallory")
    callers: dict[str, dict[str, str]] = {
        "nobody": {}, "wrong token": {"Authorization": "Bearer not-the-admin-token"},
        "basic auth": {"Authorization": "Basic YWRtaW46YWRtaW4="},
        "reader token": {"Authorization": f"Bearer {reader}"},
    }
    served = []
    for service, method, path in operations:
        url = stack.url(service) + re.sub(r"\{[^}]+\}", "x1", path)
        for who, headers in callers.items():
            r = await client.request(method, url, headers={**BROWSER, **headers}, json={})
            if r.status_code not in (401, 403):
                served.append(f"{who}: {method} {service}{path} -> {r.status_code}")
    assert not served, "\n".join(served)


# Ingest and enrich used to strip an optional "Bearer " prefix, so the bare token passed.
async def test_the_admin_token_needs_the_bearer_scheme(stack: Stack,
                                                       client: httpx.AsyncClient) -> None:
    bare = {"Authorization": ADMIN["Authorization"].split()[1]}
    for service, path in (("ingest", "/v1/admin/agencies"), ("enrich", "/v1/admin/taxonomy"),
                          ("comments", "/v1/admin/keys")):
        r = await client.get(stack.url(service) + path, headers=bare)
        assert r.status_code == 401, f"{service} accepted the bare admin token"


async def test_staff_roles(stack: Stack, client: httpx.AsyncClient) -> None:
    base = stack.url("comments")
    r = await client.post(base + "/v1/admin/keys", headers={**ADMIN, **BROWSER},
                          json={"name": "mod-one", "role": "moderator"})
    assert r.status_code == 201, r.text
    moderator = {"Authorization": f"Bearer {r.json()['key']}", **BROWSER}
    assert (await client.get(base + "/v1/moderation/queue", headers=moderator)).status_code == 200
    for method, path in (("GET", "/v1/admin/keys"), ("GET", "/v1/admin/audit"),
                         ("POST", "/v1/admin/keys")):
        r = await client.request(method, base + path, headers=moderator,
                                 json={"name": "mine", "role": "admin"})
        assert r.status_code == 403, f"moderator {method} {path}: {r.status_code}"
    key_id = (await client.get(base + "/v1/admin/keys", headers=ADMIN)).json()["keys"][0]
    await client.delete(f"{base}/v1/admin/keys/{key_id['key_id']}", headers={**ADMIN, **BROWSER})
    r = await client.get(base + "/v1/moderation/queue", headers=moderator)
    assert r.status_code == 401, "a revoked key still works"


async def test_a_reader_cannot_change_another_readers_comment(
        stack: Stack, client: httpx.AsyncClient, agency: Agency) -> None:
    posted = await agency.post({"uri": "urn:hostile:authz", "version": "1", "language": "en",
                                "headlines": [{"value": "Authorisation"}],
                                "bodies": [{"contentType": "text/plain", "value": "Text."}]})
    article_id = posted.json()["article_id"]
    alice = {"Authorization": f"Bearer {await _reader(client, stack, 'Alice')}", **BROWSER}
    bob = {"Authorization": f"Bearer {await _reader(client, stack, 'Bob')}", **BROWSER}
    url = f"{stack.url('comments')}/v1/articles/{article_id}/comments"

    async def post_as_alice() -> httpx.Response | None:
        r = await client.post(url, json={"body": "Alice wrote this, nobody else."},
                              headers=alice)
        return r if r.status_code == 201 else None

    comment: dict[str, Any] = (await eventually(post_as_alice, timeout=60)).json()
    target = f"{stack.url('comments')}/v1/comments/{comment['comment_id']}"
    assert (await client.patch(target, json={"body": "Bob's words"}, headers=bob)
            ).status_code == 403
    assert (await client.delete(target, headers=bob)).status_code == 403
    assert (await client.patch(target, json={"body": "anon"}, headers=BROWSER)
            ).status_code == 401
    forged = {"Authorization": f"Bearer {alice['Authorization'][7:-4]}AAAA", **BROWSER}
    assert (await client.patch(target, json={"body": "forged"}, headers=forged)
            ).status_code == 401
    listed = (await client.get(url)).json()["comments"]
    assert [c["body"] for c in listed] == ["Alice wrote this, nobody else."]
    assert (await client.patch(target, json={"body": "Alice, edited."}, headers=alice)
            ).status_code == 200


async def test_a_subscriber_cannot_read_another_subscribers_log(
        stack: Stack, client: httpx.AsyncClient) -> None:
    base = stack.url("publish") + "/v1/push/subscriptions"
    subs = []
    for n in (1, 2):
        # A local address: the platform allows private http targets (CHAOS_ENV).
        r = await client.post(base, headers=ADMIN, json={"url": f"http://127.0.0.1:9/h{n}"})
        if r.status_code == 404:
            pytest.skip("publish has no push API yet")
        assert r.status_code == 201, r.text
        subs.append(r.json())
    one, two = ({"Authorization": f"Bearer {s['token']}"} for s in subs)
    own = await client.get(f"{base}/{subs[0]['id']}/deliveries", headers=one)
    assert own.status_code == 200
    for path in ("", "/deliveries"):
        r = await client.get(f"{base}/{subs[1]['id']}{path}", headers=one)
        assert r.status_code == 401, f"subscriber 1 read subscriber 2's {path or 'record'}"
    for method, path in (("GET", ""), ("POST", ""), ("PATCH", f"/{subs[0]['id']}"),
                         ("DELETE", f"/{subs[1]['id']}")):
        r = await client.request(method, base + path, headers=two,
                                 json={"url": "https://x.example/h", "disabled": False})
        assert r.status_code == 401, f"a subscriber token did {method} {path}"
