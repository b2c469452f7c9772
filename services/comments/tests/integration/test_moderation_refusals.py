"""Every moderation refusal, through the API: what the reader gets back, what is emitted."""

from __future__ import annotations

import pytest

from .conftest import Harness, MakeHarness, bearer

BANNED = ["حمار", "scum"]


def _refusal(r, reason: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/comment-rejected")
    assert body["reason"] == reason
    assert body["detail"]  # the explanation, for the reader


@pytest.fixture
async def strict(make_harness: MakeHarness) -> Harness:
    return await make_harness(banned_words=BANNED, max_body_chars=300, min_length=3)


@pytest.mark.parametrize("text", [
    "انت حمار", "يا الحمار", "بالحمار", "حِمَار", "حمـــار", "حمااار", "ح م ا ر", "حمارة",
])
async def test_arabic_spellings_of_a_banned_word_are_refused(strict: Harness, text: str) -> None:
    article = await strict.open_article(language="ar")
    r = await strict.post(article, text, headers={"Accept-Language": "ar"})
    _refusal(r, "banned-word")
    assert r.json()["detail"] == "يحتوي التعليق على ألفاظ غير مسموح بها."


async def test_latin_tricks_on_a_banned_word_are_refused(strict: Harness) -> None:
    article = await strict.open_article()
    for text in ("You SCUM", "s.c.u.m indeed", "5cum"):
        _refusal(await strict.post(article, text), "banned-word")
    assert (await strict.post(article, "scumbag is a different word")).status_code == 201


async def test_length_limits(strict: Harness) -> None:
    article = await strict.open_article()
    _refusal(await strict.post(article, "ok"), "too-short")
    _refusal(await strict.post(article, "word " * 80), "too-long")


async def test_a_repeated_post_is_refused_and_recorded(strict: Harness) -> None:
    article = await strict.open_article()
    first = await strict.post(article, "Great reporting!")
    assert first.status_code == 201
    again = await strict.post(article, "great reporting!!!")
    _refusal(again, "repeated-post")
    event = await strict.wait_event("comment.posted", comment_id=again.json()["comment_id"])
    assert event["status"] == "rejected"


async def test_held_comments_answer_pending_with_the_reason(h: Harness) -> None:
    article = await h.open_article()
    suspect = await h.post(article, "What an idiot decision")
    assert suspect.status_code == 201 and suspect.json()["status"] == "pending"
    assert suspect.json()["moderation"]["reason"] == "suspect-word"
    links = await h.post(article, "see http://a.example http://b.example http://c.example")
    assert links.json()["status"] == "pending"
    assert links.json()["moderation"]["reason"] == "too-many-links"
    listed = (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"]
    assert listed == []  # held comments are not shown
    event = await h.wait_event("comment.posted", comment_id=suspect.json()["comment_id"])
    assert event["status"] == "pending"


async def test_new_readers_are_held(make_harness: MakeHarness) -> None:
    h = await make_harness(new_reader_threshold=1)
    article = await h.open_article()
    r = await h.post(article, "My very first comment")
    assert r.json()["status"] == "pending"
    assert r.json()["moderation"]["reason"] == "new-reader"


async def test_global_premoderation(make_harness: MakeHarness) -> None:
    h = await make_harness(premoderation=True)
    article = await h.open_article()
    r = await h.post(article, "Reviewed before it shows")
    assert r.json()["status"] == "pending"
    assert r.json()["moderation"]["reason"] == "premoderation"


async def test_per_article_mode_and_closing(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    url = f"/v1/moderation/articles/{article}"
    r = await h.client.put(url, json={"mode": "pre"}, headers=bearer(key))
    assert r.json() == {"article_id": article, "mode": "pre", "premoderated": True,
                        "closed": False}
    assert (await h.post(article, "Held on this article")).json()["status"] == "pending"
    await h.client.put(url, json={"mode": "default", "closed": True}, headers=bearer(key))
    _refusal(await h.post(article, "Too late to comment"), "comments-closed")
    await h.client.put(url, json={"closed": False}, headers=bearer(key))
    assert (await h.post(article, "Open again")).json()["status"] == "approved"


async def test_banned_and_suspended_readers_are_refused(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    token = await h.reader("Troll")
    assert (await h.post(article, "Before the ban", token=token)).status_code == 201
    reader_id = (await h.client.get("/v1/readers/me", headers=bearer(token))).json()["reader_id"]
    status_url = f"/v1/moderation/readers/{reader_id}/status"
    r = await h.client.put(status_url, json={"status": "suspended",
                                             "until": "2999-01-01T00:00:00Z"},
                           headers=bearer(key))
    assert r.status_code == 200, r.text
    _refusal(await h.post(article, "While suspended", token=token), "reader-suspended")
    await h.client.put(status_url, json={"status": "banned", "reason": "abuse"},
                       headers=bearer(key))
    _refusal(await h.post(article, "While banned", token=token), "reader-banned")
    # An anonymous poster can be banned too: its id is its name at its address.
    held = await h.post(article, "You idiot", author="Nobody")
    queue = (await h.client.get("/v1/moderation/queue", headers=bearer(key))).json()
    [item] = [c for c in queue["comments"] if c["comment_id"] == held.json()["comment_id"]]
    assert item["author_id"].startswith("anon:")
    await h.client.put(f"/v1/moderation/readers/{item['author_id']}/status",
                       json={"status": "banned"}, headers=bearer(key))
    _refusal(await h.post(article, "Back again", author="nobody"), "reader-banned")
    assert (await h.post(article, "A different person", author="Somebody")).status_code == 201


async def test_an_unreachable_scorer_holds_the_comment(make_harness: MakeHarness) -> None:
    h = await make_harness(scorer_url="http://127.0.0.1:9/score", scorer_timeout=1)
    article = await h.open_article()
    r = await h.post(article, "Scored by nobody")
    assert r.status_code == 201
    assert r.json()["moderation"]["reason"] == "scorer-unavailable"
