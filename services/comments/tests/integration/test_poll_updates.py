"""PollUpdated carries poll results to publish: on creation and early close at once,
votes coalesced (one event per poll per interval), and a poll's own closing time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from wirestream.common.testing import eventually

from .conftest import Harness, MakeHarness, bearer


def _votes(event: dict) -> list[int]:  # type: ignore[type-arg]
    return [o["votes"] for o in event["options"]]


async def _create(h: Harness, *, minutes: float = 60) -> dict:  # type: ignore[type-arg]
    article = await h.open_article()
    r = await h.client.post(f"/v1/articles/{article}/polls", headers=bearer(await h.staff_key()),
                            json={"question": "Reopen the port?", "options": ["Yes", "No"],
                                  "closes_at": (h.ctx.now() + timedelta(minutes=minutes))
                                  .isoformat()})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_creation_votes_and_close_are_announced(make_harness: MakeHarness) -> None:
    h = await make_harness(poll_announce_s=0.3)
    poll = await _create(h)
    pid = poll["poll_id"]
    created = await h.wait_event("poll.updated", poll_id=pid)
    assert _votes(created) == [0, 0] and created["closed"] is False
    assert [o["label"] for o in created["options"]] == ["Yes", "No"]

    url = f"/v1/polls/{pid}/votes"
    for i in range(12):  # a burst of votes inside one interval
        r = await h.client.post(url, json={"option": i % 3 == 0, "voter_id": f"voter{i:012d}"})
        assert r.status_code == 201, r.text

    async def tallied() -> list[dict] | None:  # type: ignore[type-arg]
        events = await h.events("poll.updated")  # empty until the relay's first pass
        return events if events and _votes(events[-1]) == [8, 4] else None

    events = await eventually(tallied)
    # Coalesced: far fewer events than votes (creation, then one per interval).
    assert 2 <= len(events) <= 6, [_votes(e) for e in events]
    assert all(e["poll_id"] == pid and e["closed"] is False for e in events)

    staff = await h.staff_key()
    r = await h.client.post(f"/v1/polls/{pid}/close", headers=bearer(staff))
    assert r.status_code == 200
    closed = await h.wait_event("poll.updated", poll_id=pid, closed=True)
    assert _votes(closed) == [8, 4]


async def test_a_quiet_poll_announces_nothing_more(make_harness: MakeHarness) -> None:
    h = await make_harness(poll_announce_s=0.1)
    poll = await _create(h)
    r = await h.client.post(f"/v1/polls/{poll['poll_id']}/votes",
                            json={"option": 1, "voter_id": "quietvoter000001"})
    assert r.status_code == 201

    async def announced() -> bool:
        events = await h.events("poll.updated")  # empty until the relay's first pass
        return bool(events) and _votes(events[-1]) == [0, 1]

    await eventually(announced)
    count = len(await h.events("poll.updated"))
    await _idle(h, 0.6)
    assert len(await h.events("poll.updated")) == count


async def test_reaching_the_closing_time_is_announced(make_harness: MakeHarness) -> None:
    h = await make_harness(poll_announce_s=0.1)
    poll = await _create(h, minutes=1)
    start = h.ctx.now()
    h.ctx.clock = lambda: start + timedelta(minutes=2)  # time passes the closing time
    closed = await h.wait_event("poll.updated", poll_id=poll["poll_id"], closed=True)
    assert _votes(closed) == [0, 0]
    await _idle(h, 0.5)  # announced once, not on every tick
    assert len([e for e in await h.events("poll.updated") if e["closed"]]) == 1


async def _idle(h: Harness, seconds: float) -> None:
    await asyncio.sleep(seconds)
