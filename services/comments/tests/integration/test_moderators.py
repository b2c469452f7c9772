"""Moderators and admins: keys and roles, decisions, events, the audit log, the gauge."""

from __future__ import annotations

from prometheus_client import generate_latest

from .conftest import ADMIN_TOKEN, Harness, bearer


def _pending_gauge(h: Harness) -> float:
    for line in generate_latest(h.runtime.registry).decode().splitlines():
        if line.startswith("wirestream_comments_pending "):
            return float(line.split()[1])
    raise AssertionError("no pending gauge")


async def test_a_moderator_approves_a_held_comment(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key("moderator")
    held = (await h.post(article, "Such a stupid idea", author="Hana")).json()
    assert held["status"] == "pending"
    assert _pending_gauge(h) == 1

    queue = (await h.client.get("/v1/moderation/queue?kind=pending",
                                headers=bearer(key))).json()
    assert [c["comment_id"] for c in queue["comments"]] == [held["comment_id"]]
    assert queue["comments"][0]["reason"] == "suspect-word"

    r = await h.client.post(f"/v1/moderation/comments/{held['comment_id']}/approve",
                            headers=bearer(key))
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert _pending_gauge(h) == 0

    event = await h.wait_event("comment.moderated", comment_id=held["comment_id"])
    assert event["status"] == "approved"
    assert (event["author"], event["body"]) == ("Hana", "Such a stupid idea")
    assert event["posted_at"] and event["article_id"] == article
    listed = (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"]
    assert [c["comment_id"] for c in listed] == [held["comment_id"]]


async def test_reject_needs_a_reason_and_is_announced(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    c = (await h.post(article, "Visible at first")).json()
    url = f"/v1/moderation/comments/{c['comment_id']}/reject"
    no_reason = await h.client.post(url, json={}, headers=bearer(key))
    assert no_reason.status_code == 422
    r = await h.client.post(url, json={"reason": "off-topic"}, headers=bearer(key))
    assert r.json()["status"] == "rejected"
    event = await h.wait_event("comment.moderated", comment_id=c["comment_id"])
    assert (event["status"], event["reason"]) == ("rejected", "off-topic")
    assert (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"] == []


async def test_feature_and_delete(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    c = (await h.post(article, "Worth featuring")).json()
    base = f"/v1/moderation/comments/{c['comment_id']}"
    r = await h.client.post(f"{base}/feature", json={"featured": True}, headers=bearer(key))
    assert r.json()["featured"] is True
    listed = (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"]
    assert listed[0]["featured"] is True
    featured = await h.wait_event("comment.moderated", comment_id=c["comment_id"],
                                  reason="featured")
    assert featured["featured"] is True  # publish reads the flag, not the reason text
    await h.client.post(f"{base}/feature", json={"featured": False}, headers=bearer(key))
    unfeatured = await h.wait_event("comment.moderated", comment_id=c["comment_id"],
                                    reason="unfeatured")
    assert unfeatured["featured"] is False
    r = await h.client.post(f"{base}/delete", json={"reason": "legal"}, headers=bearer(key))
    assert r.json()["status"] == "deleted"
    await h.wait_event("comment.moderated", comment_id=c["comment_id"], status="deleted")


async def test_no_moderation_without_a_valid_key_of_the_right_role(h: Harness) -> None:
    article = await h.open_article()
    c = (await h.post(article, "Some comment")).json()
    approve = f"/v1/moderation/comments/{c['comment_id']}/approve"
    missing = await h.client.post(approve)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert (await h.client.post(approve, headers=bearer("wsk_made_up"))).status_code == 401
    reader = await h.reader()
    assert (await h.client.post(approve, headers=bearer(reader))).status_code == 401
    assert (await h.client.get("/v1/moderation/queue")).status_code == 401

    moderator = await h.staff_key("moderator")
    for call in (h.client.get("/v1/admin/audit", headers=bearer(moderator)),
                 h.client.post("/v1/admin/keys", json={"name": "x"}, headers=bearer(moderator))):
        r = await call
        assert r.status_code == 403 and r.json()["type"].endswith("/insufficient-role")

    keys = (await h.client.get("/v1/admin/keys", headers=bearer(ADMIN_TOKEN))).json()["keys"]
    key_id = keys[0]["key_id"]
    assert "key" not in keys[0] or keys[0]["key"] is None  # never shown again
    r = await h.client.delete(f"/v1/admin/keys/{key_id}", headers=bearer(ADMIN_TOKEN))
    assert r.status_code == 204
    assert (await h.client.post(approve, headers=bearer(moderator))).status_code == 401


async def test_every_action_is_in_the_audit_log(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    admin = await h.staff_key("admin")
    c = (await h.post(article, "Audited comment")).json()
    await h.client.post(f"/v1/moderation/comments/{c['comment_id']}/reject",
                        json={"reason": "spam"}, headers=bearer(key))
    await h.client.put(f"/v1/moderation/articles/{article}", json={"closed": True},
                       headers=bearer(key))
    log = (await h.client.get("/v1/admin/audit", headers=bearer(admin))).json()["entries"]
    assert [e["action"] for e in log] == [
        "configure-article", "reject", "create-key", "create-key"]
    reject = log[1]
    assert (reject["target_id"], reject["reason"], reject["role"]) == (
        c["comment_id"], "spam", "moderator")
    assert reject["actor"].startswith("moderator-")
    page = (await h.client.get("/v1/admin/audit?limit=2", headers=bearer(admin))).json()
    rest = (await h.client.get(f"/v1/admin/audit?before={page['next_before']}",
                               headers=bearer(admin))).json()
    assert [e["audit_id"] for e in page["entries"] + rest["entries"]] == [
        e["audit_id"] for e in log]


async def test_reported_queue(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    c = (await h.post(article, "Controversial but fine")).json()
    for name in ("A", "B"):
        token = await h.reader(name)
        r = await h.client.post(f"/v1/comments/{c['comment_id']}/reports",
                                json={"reason": "spam"}, headers=bearer(token))
        assert r.status_code == 202
    queue = (await h.client.get("/v1/moderation/queue?kind=reported",
                                headers=bearer(key))).json()["comments"]
    assert queue[0]["report_reasons"] == {"spam": 2} and queue[0]["status"] == "approved"
    await h.client.post(f"/v1/moderation/comments/{c['comment_id']}/approve",
                        headers=bearer(key))
    queue = (await h.client.get("/v1/moderation/queue?kind=reported",
                                headers=bearer(key))).json()["comments"]
    assert queue == []  # approving resolves the reports
