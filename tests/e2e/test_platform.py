"""One Arabic wire item from the signed webhook to the rendered page to a posted comment."""

from __future__ import annotations

import httpx
import pytest

from wirestream.cli.dev import DEV_ADMIN_TOKEN
from wirestream.common.testing import eventually

from ..conftest import WireClient, sample

pytestmark = pytest.mark.e2e


async def _get(url: str, **kw: object) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as c:
        return await c.get(url, **kw)  # type: ignore[arg-type]


async def test_arabic_item_travels_from_webhook_to_page_to_comment(platform) -> None:  # type: ignore[no-untyped-def]
    rt = WireClient(platform, "rt", language="ar")
    accepted = rt.send(sample("rt_putin_ar.json"))
    assert accepted.status_code == 202, accepted.text
    article_id = accepted.json()["article_id"]
    site = platform.url("publish")

    async def published() -> dict | None:
        r = await _get(f"{site}/api/articles/{article_id}")
        return r.json() if r.status_code == 200 else None

    article = await eventually(published, timeout=30)
    assert article["language"] == "ar"
    assert article["headline"].startswith("بوتين")
    tag_ids = {t["id"] for t in article["tags"]}
    labels = {t["label"] for t in article["tags"]}
    assert any("بوتين" in label for label in labels), article["tags"]
    assert tag_ids, "the item should carry tags"

    page = await _get(site + article["url"])
    assert page.status_code == 200
    html = page.text
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "بوتين يبحث مع الرئيس الصيني" in html
    assert "<script>alert(1)</script>" not in html  # the agency's script was sanitised
    assert page.headers["etag"]
    again = await _get(site + article["url"], headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304

    # Front pages are rebuilt by the page builder once per round (not in the handler that
    # made the article page live), so the home page follows within a round.
    async def on_home() -> bool:
        return article["url"] in (await _get(site + "/")).text

    await eventually(on_home, timeout=30)

    comments = platform.url("comments") + f"/v1/articles/{article_id}/comments"

    async def post_comment() -> httpx.Response | None:
        async with httpx.AsyncClient(timeout=10) as c:
            r = await c.post(comments, json={"author": "قارئ", "body": "تغطية ممتازة للخبر"},
                             headers={"X-Requested-With": "wirestream"})
        return r if r.status_code == 201 else None

    posted = await eventually(post_comment, timeout=20)
    comment = posted.json()
    # A first-time reader is held for review; a moderator approves, the page shows it.
    assert comment["status"] == "pending"
    async with httpx.AsyncClient(timeout=10) as c:
        approved = await c.post(
            platform.url("comments") + f"/v1/moderation/comments/{comment['comment_id']}/approve",
            headers={"Authorization": f"Bearer {DEV_ADMIN_TOKEN}",
                     "X-Requested-With": "wirestream"})
    assert approved.status_code == 200, approved.text

    async def page_shows_comment() -> bool:
        return "تغطية ممتازة للخبر" in (await _get(site + article["url"])).text

    await eventually(page_shows_comment, timeout=20)
    listed = await _get(comments)
    assert [c["body"] for c in listed.json()["comments"]] == ["تغطية ممتازة للخبر"]

    metrics = (await _get(platform.url("enrich") + "/metrics")).text
    handled = [line for line in metrics.splitlines()
               if line.startswith("wirestream_events_handled_total{")
               and 'group="enrich"' in line and 'outcome="ok"' in line]
    assert handled and float(handled[0].rsplit(" ", 1)[1]) >= 1.0
    for service in ("ingest", "enrich", "publish", "comments"):
        ready = await _get(platform.url(service) + "/ready")
        assert ready.json() == {"status": "ready", "redis": "ok", "database": "ok"}


async def test_bad_input_gets_problem_json_not_a_500(platform) -> None:  # type: ignore[no-untyped-def]
    wire = WireClient(platform, "xinhua", language="en")
    bad_sig = httpx.post(f"{platform.url('ingest')}/v1/wire/xinhua", content=b"{}",
                         headers={"content-type": "application/json", "webhook-id": "m1",
                                  "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"})
    assert bad_sig.status_code == 401
    assert bad_sig.headers["content-type"].startswith("application/problem+json")
    missing_uri = wire.send({"headlines": [{"value": "No identifier"}]})
    assert missing_uri.status_code == 422
    problem = missing_uri.json()
    assert problem["status"] == 422 and "uri" in str(problem).lower()
    not_json = wire.send("{not json", content_type="application/json")
    assert not_json.status_code == 400
    assert not_json.headers["content-type"].startswith("application/problem+json")
