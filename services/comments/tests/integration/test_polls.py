"""Polls: editors attach them, readers vote once each, closed polls refuse votes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .conftest import Harness, bearer


def _soon(h: Harness, minutes: int = 60) -> str:
    return (h.ctx.now() + timedelta(minutes=minutes)).isoformat()


async def _poll(h: Harness, article: str, key: str) -> dict:  # type: ignore[type-arg]
    r = await h.client.post(f"/v1/articles/{article}/polls", headers=bearer(key), json={
        "question": "Should the port reopen?", "options": ["Yes", "No", "Not sure"],
        "closes_at": _soon(h)})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_readers_vote_once_each(h: Harness) -> None:
    article = await h.open_article()
    poll = await _poll(h, article, await h.staff_key())
    url = f"/v1/polls/{poll['poll_id']}/votes"
    browser = "b" * 8 + "1234567890"
    r = await h.client.post(url, json={"option": 0, "voter_id": browser})
    assert r.status_code == 201 and [o["votes"] for o in r.json()["options"]] == [1, 0, 0]
    again = await h.client.post(url, json={"option": 1, "voter_id": browser})
    assert again.status_code == 409 and again.json()["type"].endswith("/already-voted")
    token = await h.reader()
    assert (await h.client.post(url, json={"option": 1}, headers=bearer(token))).status_code == 201
    twice = await h.client.post(url, json={"option": 1}, headers=bearer(token))
    assert twice.status_code == 409
    assert (await h.client.post(url, json={"option": 7, "voter_id": "c" * 16})).status_code == 422
    assert (await h.client.post(url, json={"option": 0})).status_code == 422

    results = (await h.client.get(f"/v1/polls/{poll['poll_id']}")).json()
    assert results["total_votes"] == 2 and results["closed"] is False
    listed = (await h.client.get(f"/v1/articles/{article}/polls")).json()["polls"]
    assert [p["poll_id"] for p in listed] == [poll["poll_id"]]


async def test_a_closed_poll_refuses_votes(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    poll = await _poll(h, article, key)
    later = datetime.now(UTC) + timedelta(hours=2)
    h.ctx.clock = lambda: later  # past closes_at
    r = await h.client.post(f"/v1/polls/{poll['poll_id']}/votes",
                            json={"option": 0, "voter_id": "v" * 20})
    assert r.status_code == 409 and r.json()["type"].endswith("/poll-closed")
    assert (await h.client.get(f"/v1/polls/{poll['poll_id']}")).json()["closed"] is True


async def test_closing_early_and_who_may_create(h: Harness) -> None:
    article = await h.open_article()
    key = await h.staff_key()
    body = {"question": "Q?", "options": ["a", "b"], "closes_at": _soon(h)}
    assert (await h.client.post(f"/v1/articles/{article}/polls", json=body)).status_code == 401
    reader = await h.reader()
    r = await h.client.post(f"/v1/articles/{article}/polls", json=body, headers=bearer(reader))
    assert r.status_code == 401
    past = body | {"closes_at": "2020-01-01T00:00:00Z"}
    r = await h.client.post(f"/v1/articles/{article}/polls", json=past, headers=bearer(key))
    assert r.status_code == 422
    poll = await _poll(h, article, key)
    closed = await h.client.post(f"/v1/polls/{poll['poll_id']}/close", headers=bearer(key))
    assert closed.json()["closed"] is True
    r = await h.client.post(f"/v1/polls/{poll['poll_id']}/votes",
                            json={"option": 0, "voter_id": "v" * 20})
    assert r.status_code == 409
