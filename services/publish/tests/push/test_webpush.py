"""Web Push end to end: a browser registers, the push service (a local receiver) gets
encrypted, VAPID-signed messages with Urgency, TTL and Topic; gone browsers are removed."""

from __future__ import annotations

from typing import Any

import pytest

from wirestream.common.events import new_id
from wirestream.common.testing import eventually
from wirestream.publish.push.models import BrowserSubscription
from wirestream.publish.push.webpush import topic_for

from .browser import Browser, verify_vapid
from .conftest import SITE, PushApp, PushFactory

BASE = "/v1/push/web"


async def register(push: PushApp, browser: Browser, *, path: str | None = None,
                   **follow: Any) -> dict[str, Any]:
    languages = follow.pop("languages", [])
    r = await push.client.post(f"{BASE}/subscriptions", json={
        "endpoint": push.receiver.url(path or f"/wp/{new_id()}"), "keys": browser.keys,
        "follow": follow, "languages": languages})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def processed(push: PushApp, count: int) -> None:
    """Wait until push has fanned out ``count`` articles (a catch-all webhook saw them)."""
    await push.receiver.wait("/sentinel", count)


async def test_pushes_are_encrypted_signed_and_labelled(push: PushApp) -> None:
    key = (await push.client.get(f"{BASE}/vapid-public-key")).json()["public_key"]
    assert key == push.push.vapid.public_key  # type: ignore[union-attr]
    browser = Browser()
    await register(push, browser, path="/wp/one", stories=["st9"])
    event = await push.article(story_id="st9", urgency=1)
    [req] = await push.receiver.wait("/wp/one")
    payload = browser.decrypt(req.body)
    a = event.article
    assert payload == {"type": "article.published", "article_id": a.article_id,
                       "headline": a.headline, "url": f"{SITE}/en/articles/{a.article_id}",
                       "language": "en", "urgency": 1, "story_id": "st9"}
    h = req.headers
    assert (h["urgency"], h["ttl"], h["content-encoding"]) == ("high", "3600", "aes128gcm")
    assert h["topic"] == topic_for("st9") and len(h["topic"]) <= 32
    claims = verify_vapid(h["authorization"], key)
    assert claims["aud"] == f"http://127.0.0.1:{push.receiver.port}"
    assert claims["sub"] == "mailto:push@news.example"
    await push.expect_metric("webpush", "ok", 1)


async def test_follows_urgency_and_language(push: PushApp) -> None:
    await push.subscribe("/sentinel")
    tags, breaking, arabic = Browser(), Browser(), Browser()
    await register(push, tags, path="/wp/tags", tags=["place:cairo"])
    await register(push, breaking, path="/wp/breaking", breaking=True)
    await register(push, arabic, path="/wp/arabic", breaking=True, languages=["ar"])
    quiet = await push.article(tags=("place:cairo",), urgency=6)
    await push.article(urgency=4)  # neither a followed tag nor breaking
    flash = await push.article(urgency=2)
    await processed(push, 3)
    [t] = await push.receiver.wait("/wp/tags")
    assert tags.decrypt(t.body)["article_id"] == quiet.article.article_id
    assert (t.headers["urgency"], t.headers["ttl"]) == ("low", str(12 * 3600))
    assert t.headers["topic"] == topic_for(quiet.article.article_id)  # no story: the article
    [b] = await push.receiver.wait("/wp/breaking")
    assert breaking.decrypt(b.body)["article_id"] == flash.article.article_id
    await eventually(lambda: _none_pending(push))
    assert "/wp/arabic" not in push.receiver.received
    assert len(push.receiver.received["/wp/tags"]) == len(push.receiver.received[
        "/wp/breaking"]) == 1


async def _none_pending(push: PushApp) -> bool:
    return not await push.delivery_rows(status="pending")


@pytest.mark.parametrize("status", [404, 410])
async def test_gone_browsers_are_removed(push: PushApp, status: int) -> None:
    browser = Browser()
    reg = await register(push, browser, path="/wp/old", breaking=True)
    push.receiver.reply("/wp/old", status)
    await push.article(urgency=1)
    await push.receiver.wait("/wp/old")

    async def removed() -> bool:
        async with push.runtime.sessions() as s:
            return await s.get(BrowserSubscription, reg["id"]) is None

    await eventually(removed)
    [row] = await push.delivery_rows(channel="webpush")
    assert (row.status, row.last_status_code) == ("gone", status)
    await push.expect_metric("webpush", "gone", 1)
    r = await push.client.delete(f"{BASE}/subscriptions/{reg['id']}")
    assert r.status_code == 404


async def test_register_again_replaces_follows_and_unregister(push: PushApp) -> None:
    browser = Browser()
    first = await register(push, browser, path="/wp/me", tags=["a"], stories=["s"])
    again = await register(push, browser, path="/wp/me", breaking=True)
    assert again["id"] == first["id"]
    assert (again["tags"], again["stories"], again["breaking"]) == ([], [], True)
    assert (await push.client.delete(f"{BASE}/subscriptions/{first['id']}")).status_code == 204


async def test_bad_registrations_are_refused(make_push: PushFactory) -> None:
    async with make_push(push_allow_private_hosts=False) as push:
        keys = Browser().keys

        async def post(**body: Any) -> int:
            fields = {"endpoint": "https://push.example.net/x", "keys": keys,
                      "follow": {"breaking": True}} | body
            return (await push.client.post(f"{BASE}/subscriptions", json=fields)).status_code

        assert await post(follow={}) == 422
        assert await post(keys={"p256dh": "A" * 87, "auth": keys["auth"]}) == 422
        assert await post(endpoint="http://127.0.0.1:9/push") == 422
        assert await post(endpoint="https://169.254.169.254/push") == 422


async def test_without_a_vapid_key_web_push_is_off(make_push: PushFactory) -> None:
    async with make_push(vapid_private_key=None) as push:
        r = await push.client.get(f"{BASE}/vapid-public-key")
        assert r.status_code == 503
