"""What readers do with tokens: edit within the window, delete, react once, report."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt

from .conftest import Harness, MakeHarness, bearer


async def _comment(h: Harness, article: str, token: str, body: str = "My own words") -> str:
    r = await h.post(article, body, token=token, author=None)
    assert r.status_code == 201, r.text
    return str(r.json()["comment_id"])


async def test_a_reader_token_names_the_author(h: Harness) -> None:
    article = await h.open_article()
    token = await h.reader("Layla")
    r = await h.post(article, "Signed comment", token=token, author="Someone else")
    assert r.json()["author"] == "Layla"
    me = (await h.client.get("/v1/readers/me", headers=bearer(token))).json()
    assert me["display_name"] == "Layla" and me["reader_id"].startswith("rdr_")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert (await h.post(article, "Forged", token=forged)).status_code == 401


async def test_edit_own_comment_within_the_window(h: Harness) -> None:
    article = await h.open_article()
    token = await h.reader()
    cid = await _comment(h, article, token)
    r = await h.client.patch(f"/v1/comments/{cid}", json={"body": "My better words"},
                             headers=bearer(token))
    assert r.status_code == 200, r.text
    assert r.json()["body"] == "My better words" and r.json()["edited_at"]
    event = await h.wait_event("comment.moderated", comment_id=cid, reason="edited")
    assert (event["status"], event["body"]) == ("approved", "My better words")

    later = h.ctx.now() + timedelta(seconds=h.ctx.settings.edit_window_s + 1)
    h.ctx.clock = lambda: later
    r = await h.client.patch(f"/v1/comments/{cid}", json={"body": "Too late"},
                             headers=bearer(token))
    assert r.status_code == 403 and r.json()["type"].endswith("/edit-window-closed")


async def test_an_edit_is_moderated_again(make_harness: MakeHarness) -> None:
    h = await make_harness(banned_words=["scum"])
    article = await h.open_article()
    token = await h.reader()
    cid = await _comment(h, article, token)
    r = await h.client.patch(f"/v1/comments/{cid}", json={"body": "you scum"},
                             headers=bearer(token))
    assert r.status_code == 422 and r.json()["reason"] == "banned-word"
    held = await h.client.patch(f"/v1/comments/{cid}", json={"body": "an idiot wrote this"},
                                headers=bearer(token))
    assert held.json()["status"] == "pending"
    assert (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"] == []


async def test_nobody_edits_or_deletes_another_readers_comment(h: Harness) -> None:
    article = await h.open_article()
    owner, other = await h.reader("Owner"), await h.reader("Other")
    cid = await _comment(h, article, owner)
    for r in (await h.client.patch(f"/v1/comments/{cid}", json={"body": "hijacked"},
                                   headers=bearer(other)),
              await h.client.delete(f"/v1/comments/{cid}", headers=bearer(other))):
        assert r.status_code == 403 and r.json()["type"].endswith("/not-your-comment")
    anonymous = await h.client.patch(f"/v1/comments/{cid}", json={"body": "hijacked"})
    assert anonymous.status_code == 401


async def test_delete_own_comment(h: Harness) -> None:
    article = await h.open_article()
    token = await h.reader()
    cid = await _comment(h, article, token)
    assert (await h.client.delete(f"/v1/comments/{cid}", headers=bearer(token))).status_code == 204
    assert (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"] == []
    await h.wait_event("comment.moderated", comment_id=cid, status="deleted")
    again = await h.client.delete(f"/v1/comments/{cid}", headers=bearer(token))
    assert again.status_code == 404


async def test_one_reaction_per_reader_and_the_reacted_sort(h: Harness) -> None:
    article = await h.open_article()
    quiet = await _comment(h, article, await h.reader(), "Nobody reacts to this")
    loved = await _comment(h, article, await h.reader(), "Everybody reacts to this")
    a, b = await h.reader("A"), await h.reader("B")
    url = f"/v1/comments/{loved}/reaction"
    for token, kind in ((a, "like"), (a, "like"), (a, "love"), (b, "like")):
        r = await h.client.put(url, json={"kind": kind}, headers=bearer(token))
        assert r.status_code == 200, r.text
    assert r.json()["reactions_total"] == 2
    assert r.json()["reactions"] == {"love": 1, "like": 1}
    bad = await h.client.put(url, json={"kind": "rocket"}, headers=bearer(a))
    assert bad.status_code == 422
    assert (await h.client.put(url, json={"kind": "like"})).status_code == 401

    listed = (await h.client.get(f"/v1/articles/{article}/comments?sort=reacted")).json()
    assert [c["comment_id"] for c in listed["comments"]] == [loved, quiet]
    assert listed["comments"][0]["reactions"] == {"love": 1, "like": 1}
    r = await h.client.delete(url, headers=bearer(a))
    assert r.json()["reactions_total"] == 1 and r.json()["reactions"] == {"like": 1}


async def test_reports_once_each_and_enough_of_them_hold_the_comment(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(report_hold_threshold=2)
    article = await h.open_article()
    author = await h.reader("Author")
    cid = await _comment(h, article, author)
    url = f"/v1/comments/{cid}/reports"
    own = await h.client.post(url, json={"reason": "spam"}, headers=bearer(author))
    assert own.status_code == 403
    first = await h.reader("First")
    assert (await h.client.post(url, json={"reason": "abuse", "note": "rude"},
                                headers=bearer(first))).status_code == 202
    again = await h.client.post(url, json={"reason": "spam"}, headers=bearer(first))
    assert again.status_code == 409 and again.json()["type"].endswith("/already-reported")
    assert (await h.client.post(url, json={"reason": "because"},
                                headers=bearer(first))).status_code == 422
    second = await h.reader("Second")
    await h.client.post(url, json={"reason": "spam"}, headers=bearer(second))
    await h.wait_event("comment.moderated", comment_id=cid, status="pending", reason="reported")
    assert (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"] == []


async def test_site_login_jwts_are_readers(make_harness: MakeHarness) -> None:
    secret = "site-login-secret-of-at-least-32-bytes!"
    h = await make_harness(jwt_key=secret, jwt_algorithms=["HS256"],
                           jwt_issuer="https://site.test", jwt_audience="comments")
    article = await h.open_article()
    now = int(time.time())
    claims = {"sub": "user-42", "name": "Samir", "iss": "https://site.test",
              "aud": "comments", "exp": now + 300}
    good = jwt.encode(claims, secret, algorithm="HS256")
    r = await h.post(article, "Logged in on the site", token=good, author=None)
    assert r.status_code == 201 and r.json()["author"] == "Samir"
    me = (await h.client.get("/v1/readers/me", headers=bearer(good))).json()
    assert me["reader_id"] == "jwt:user-42"
    for bad in (jwt.encode(claims | {"aud": "other"}, secret, algorithm="HS256"),
                jwt.encode(claims | {"exp": now - 10}, secret, algorithm="HS256"),
                jwt.encode(claims, "another-secret-of-at-least-32-bytes!!", algorithm="HS256")):
        assert (await h.post(article, "Should not pass", token=bad)).status_code == 401


async def test_a_login_renamed_on_the_site_posts_under_its_new_name(
    make_harness: MakeHarness,
) -> None:
    """The site's login is the source of the name: a changed name claim is stored with
    the next comment, and its comment (and the ones after) carry it."""
    secret = "site-login-secret-of-at-least-32-bytes!"
    h = await make_harness(jwt_key=secret, jwt_algorithms=["HS256"])
    article = await h.open_article()
    claims = {"sub": "user-7", "name": "Old Name", "exp": int(time.time()) + 300}
    old = jwt.encode(claims, secret, algorithm="HS256")
    new = jwt.encode(claims | {"name": "New Name"}, secret, algorithm="HS256")
    first = await h.post(article, "Before the rename.", token=old, author=None)
    assert first.status_code == 201 and first.json()["author"] == "Old Name"
    second = await h.post(article, "After the rename.", token=new, author=None)
    assert second.status_code == 201 and second.json()["author"] == "New Name"
    me = (await h.client.get("/v1/readers/me", headers=bearer(new))).json()
    assert me["display_name"] == "New Name"
    page = (await h.client.get(f"/v1/articles/{article}/comments?sort=oldest")).json()
    assert [c["author"] for c in page["comments"]] == ["Old Name", "New Name"]
