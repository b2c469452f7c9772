"""The subscriptions API: admin CRUD, subscriber tokens, SSRF refusals, log and redeliver."""

from __future__ import annotations

import pytest

from wirestream.common.testing import eventually
from wirestream.publish.push.ssrf import Guard

from .conftest import ADMIN, PushApp, PushFactory

BASE = "/v1/push/subscriptions"


async def test_create_list_get_update_delete(push: PushApp) -> None:
    created = await push.subscribe("/a", tags=["place:cairo"], min_urgency=3)
    assert created["secret"].startswith("whsec_") and created["token"].startswith("wspt_")
    assert created["filters"]["event_types"] == ["published", "updated", "killed"]
    sid = created["id"]
    listed = (await push.client.get(BASE, headers=ADMIN)).json()
    assert [s["id"] for s in listed] == [sid] and "secret" not in listed[0]
    r = await push.client.patch(f"{BASE}/{sid}", headers=ADMIN, json={
        "filters": {"languages": ["ar"], "event_types": ["killed"]}, "description": "ops"})
    assert r.status_code == 200, r.text
    assert r.json()["filters"]["languages"] == ["ar"] and r.json()["filters"]["tags"] == []
    assert r.json()["description"] == "ops"
    r = await push.client.patch(f"{BASE}/{sid}", headers=ADMIN, json={"disabled": True})
    assert r.json()["disabled"] and r.json()["disabled_reason"] == "disabled by admin"
    assert (await push.client.delete(f"{BASE}/{sid}", headers=ADMIN)).status_code == 204
    r = await push.client.get(f"{BASE}/{sid}", headers=ADMIN)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("body", [
    {"url": "http://127.0.0.1:9/x", "filters": {"min_urgency": 0}},
    {"url": "http://127.0.0.1:9/x", "filters": {"event_types": ["deleted"]}},
    {"url": "http://127.0.0.1:9/x", "filters": {"colour": ["red"]}},
    {"url": "http://127.0.0.1:9/x", "secret": "mine"},
])
async def test_invalid_bodies_are_refused(push: PushApp, body: dict[str, object]) -> None:
    r = await push.client.post(BASE, headers=ADMIN, json=body)
    assert r.status_code == 422, r.text


async def test_admin_token_and_subscriber_tokens(push: PushApp) -> None:
    mine, theirs = await push.subscribe("/mine"), await push.subscribe("/theirs")
    own = {"Authorization": f"Bearer {mine['token']}"}
    assert (await push.client.get(BASE)).status_code == 401
    assert (await push.client.get(BASE, headers={"Authorization": "Bearer nope"})).status_code \
        == 401
    assert (await push.client.get(BASE, headers=own)).status_code == 401
    assert (await push.client.get(f"{BASE}/{mine['id']}", headers=own)).status_code == 200
    assert (await push.client.get(f"{BASE}/{mine['id']}/deliveries", headers=own)).status_code \
        == 200
    for path in (theirs["id"], f"{theirs['id']}/deliveries"):
        r = await push.client.get(f"{BASE}/{path}", headers=own)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert (await push.client.delete(f"{BASE}/{mine['id']}", headers=own)).status_code == 401
    assert (await push.client.patch(f"{BASE}/{mine['id']}", headers=own,
                                    json={"disabled": True})).status_code == 401


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/",
    "http://[::1]:8080/hook", "http://localhost/hook", "http://[::ffff:10.0.0.1]/",
    "http://[fd00:ec2::254]/",
])
async def test_private_and_metadata_urls_are_refused(make_push: PushFactory, url: str) -> None:
    async with make_push(push_allow_private_hosts=False) as push:
        r = await push.client.post(BASE, headers=ADMIN, json={"url": url})
        assert r.status_code == 422, r.text
        assert r.json()["type"].endswith("/url-refused")
        assert r.json()["errors"][0]["pointer"] == "/url"


async def test_https_is_required_unless_allowed(make_push: PushFactory) -> None:
    async with make_push(push_allow_http=False) as push:
        r = await push.client.post(BASE, headers=ADMIN, json={"url": "http://example.com/"})
        assert r.status_code == 422 and "https" in r.json()["detail"]
        r = await push.client.patch(f"{BASE}/sub_x", headers=ADMIN,
                                    json={"url": "ftp://example.com/"})
        assert r.status_code == 422


async def test_an_address_that_turns_private_at_send_time_is_refused(
        make_push: PushFactory) -> None:
    async with make_push(push_allow_private_hosts=False) as push:
        guard: Guard = push.push.guard
        answers = {"hooks.example.com": "93.184.216.34"}

        async def resolver(host: str, _port: int) -> list[str]:
            return [answers.get(host, "127.0.0.1")]

        guard.resolver = resolver
        sub = await push.subscribe("", url=f"http://hooks.example.com:{push.receiver.port}/r")
        answers["hooks.example.com"] = "127.0.0.1"  # DNS rebinding
        await push.article()
        [entry] = await push.settled(sub)
        assert entry["status"] == "refused" and "loopback" in entry["last_error"]
        assert not push.receiver.received
        await push.expect_metric("webhook", "refused", 1)


async def test_delivery_log_and_redeliver_with_the_same_webhook_id(push: PushApp) -> None:
    sub = await push.subscribe("/log")
    own = {"Authorization": f"Bearer {sub['token']}"}
    await push.article()
    [first] = await push.receiver.wait("/log")
    [entry] = await push.settled(sub)
    r = await push.client.post(f"{BASE}/{sub['id']}/deliveries/{entry['id']}/redeliver",
                               headers=own)
    assert r.status_code == 202 and r.json()["status"] == "pending"
    _, again = await push.receiver.wait("/log", 2)
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == entry["id"]
    assert again.body == first.body

    async def twice() -> list[dict[str, object]] | None:
        log = await push.log(sub)
        return log if log[0]["attempts"] == 2 and log[0]["status"] == "delivered" else None

    await eventually(twice)
    assert await push.log(sub, status="pending") == []
    assert len(await push.log(sub, status="delivered")) == 1
    assert await push.log(sub, before="2000-01-01T00:00:00Z") == []
    assert len(await push.log(sub, before="2999-01-01T00:00:00+02:00")) == 1
    r = await push.client.get(f"{BASE}/{sub['id']}/deliveries/{entry['id']}", headers=own)
    assert [a["outcome"] for a in r.json()["attempts_log"]] == ["ok", "ok"]
    other = await push.subscribe("/other")
    r = await push.client.post(f"{BASE}/{other['id']}/deliveries/{entry['id']}/redeliver",
                               headers=ADMIN)
    assert r.status_code == 404  # another subscription's delivery
    await push.client.patch(f"{BASE}/{sub['id']}", headers=ADMIN, json={"disabled": True})
    r = await push.client.post(f"{BASE}/{sub['id']}/deliveries/{entry['id']}/redeliver",
                               headers=own)
    assert r.status_code == 409
