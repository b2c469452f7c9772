"""Agency settings and the key cache, with hand-written fakes (no database)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from wirestream.ingest import agencies
from wirestream.ingest.agencies import AgencyChanges
from wirestream.ingest.keys import AgencyKeyCache
from wirestream.ingest.models import Agency


def _agency(**fields: Any) -> Agency:
    values: dict[str, Any] = {"name": "wna", "secrets": ["whsec_a"], "disabled": False,
                              "default_language": "en", "priority": 0, "feed_url": None,
                              "poll_interval_s": None, "created_at": datetime.now(UTC)}
    values.update(fields)
    return Agency(**values)


class FakeSession:
    def __init__(self, rows: dict[str, Agency]) -> None:
        self.rows = rows
        self.gets = 0

    async def get(self, _model: type, key: str) -> Agency | None:
        self.gets += 1
        return self.rows.get(key)

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


def test_changes_know_which_fields_were_given() -> None:
    changes = AgencyChanges.model_validate({"feed_url": None, "priority": 3})
    assert changes.model_fields_set == {"feed_url", "priority"}


@pytest.mark.parametrize("bad", [{"feed_url": "file:///etc/passwd"}, {"feed_url": "http://"},
                                 {"poll_interval_s": 9}, {"default_language": "en gb"},
                                 {"enabled": True}])
def test_bad_changes_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        AgencyChanges.model_validate(bad)


async def test_new_feed_url_forgets_the_old_feed_and_is_due_at_once() -> None:
    row = _agency(feed_url="https://a.example/rss", feed_etag='"x"', feed_last_modified="y",
                  feed_error="HTTP 500", feed_next_poll_at=datetime.now(UTC))
    session = FakeSession({"wna": row})
    changes = AgencyChanges.model_validate({"feed_url": "https://b.example/rss"})
    await agencies.update_agency(session, "wna", changes)  # type: ignore[arg-type]
    assert row.feed_url == "https://b.example/rss"
    assert (row.feed_etag, row.feed_last_modified, row.feed_error) == (None, None, None)
    assert row.feed_next_poll_at is None
    assert row.default_language == "en"  # not given, not changed


async def test_unknown_agency_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        await agencies.update_agency(FakeSession({}), "nobody",  # type: ignore[arg-type]
                                     AgencyChanges(priority=1))


async def test_key_cache_rereads_after_its_ttl_and_when_told() -> None:
    now = [0.0]
    session = FakeSession({"wna": _agency()})
    cache = AgencyKeyCache(lambda: session, ttl_s=2.0, clock=lambda: now[0])  # type: ignore[arg-type]
    keys = await cache.get("wna")
    assert keys is not None and keys.secrets == ("whsec_a",)
    assert await cache.get("nobody") is None
    await cache.get("wna")
    await cache.get("nobody")
    assert session.gets == 2  # both answers, the unknown one too, were remembered
    session.rows["wna"] = _agency(disabled=True)
    now[0] = 2.5
    assert await cache.get("wna") is None  # disabled: no keys
    session.rows["wna"] = _agency(secrets=["whsec_b", "whsec_a"])
    cache.forget("wna")
    keys = await cache.get("wna")
    assert keys is not None and keys.secrets == ("whsec_b", "whsec_a")


class GatedSession(FakeSession):
    """A session whose reads wait until the test opens the gate."""

    def __init__(self, rows: dict[str, Agency]) -> None:
        super().__init__(rows)
        self.gate = asyncio.Event()

    async def get(self, _model: type, key: str) -> Agency | None:
        self.gets += 1
        await self.gate.wait()
        return self.rows.get(key)


async def test_concurrent_misses_share_one_read() -> None:
    session = GatedSession({"wna": _agency()})
    cache = AgencyKeyCache(lambda: session, ttl_s=2.0)  # type: ignore[arg-type]
    waiting = [asyncio.ensure_future(cache.get("wna")) for _ in range(20)]
    await asyncio.sleep(0)
    session.gate.set()
    found = await asyncio.gather(*waiting)
    assert session.gets == 1
    assert {k.secrets for k in found if k is not None} == {("whsec_a",)}
    assert len([k for k in found if k is not None]) == 20


async def test_a_read_overtaken_by_forget_is_not_kept() -> None:
    session = GatedSession({"wna": _agency()})
    cache = AgencyKeyCache(lambda: session, ttl_s=60.0)  # type: ignore[arg-type]
    stale = asyncio.ensure_future(cache.get("wna"))
    await asyncio.sleep(0)
    session.rows["wna"] = _agency(disabled=True)  # changed through the admin API...
    cache.forget("wna")                           # ...which forgets the agency
    session.gate.set()
    await stale
    assert await cache.get("wna") is None  # read again, not the answer begun before
    assert session.gets == 2
