"""The agency admin API, settings updates included."""

from __future__ import annotations

import pytest

from .conftest import ADMIN, Ingest
from .test_refusals import assert_problem

pytestmark = pytest.mark.postgres


async def _agency(ingest: Ingest, name: str) -> dict:  # type: ignore[type-arg]
    r = await ingest.client.get("/v1/admin/agencies", headers=ADMIN)
    assert r.status_code == 200
    return next(a for a in r.json() if a["name"] == name)


async def test_admin_api_needs_the_token(ingest: Ingest) -> None:
    assert_problem(await ingest.client.get("/v1/admin/agencies"), 401, "unauthorized")
    r = await ingest.client.patch("/v1/admin/agencies/x", json={},
                                  headers={"Authorization": "Bearer wrong"})
    assert_problem(r, 401, "unauthorized")


async def test_admin_token_needs_the_bearer_scheme(ingest: Ingest) -> None:
    bare = await ingest.client.get("/v1/admin/agencies", headers={"Authorization": "t"})
    assert_problem(bare, 401, "unauthorized")
    assert bare.headers["www-authenticate"] == "Bearer"
    wrong = await ingest.client.get("/v1/admin/agencies", headers={"Authorization": "Bearer x"})
    assert_problem(wrong, 401, "unauthorized")
    right = await ingest.client.get("/v1/admin/agencies", headers={"Authorization": "bearer t"})
    assert right.status_code == 200
    assert isinstance(right.json(), list)


async def test_create_twice_is_a_409(ingest: Ingest) -> None:
    name, _ = await ingest.add_agency()
    r = await ingest.client.post("/v1/admin/agencies", json={"name": name}, headers=ADMIN)
    assert_problem(r, 409, "agency-exists")


async def test_patch_changes_only_the_fields_given(ingest: Ingest) -> None:
    name, _ = await ingest.add_agency(default_language="en", priority=3)
    r = await ingest.client.patch(
        f"/v1/admin/agencies/{name}",
        json={"feed_url": "https://wire.example/feed.xml", "poll_interval_s": 60},
        headers=ADMIN)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["default_language"], body["priority"]) == ("en", 3)
    assert (body["feed_url"], body["poll_interval_s"]) == ("https://wire.example/feed.xml", 60)
    r = await ingest.client.patch(f"/v1/admin/agencies/{name}",
                                  json={"default_language": "ar", "priority": -1,
                                        "enable": False}, headers=ADMIN)
    assert r.status_code == 200
    stored = await _agency(ingest, name)
    assert (stored["default_language"], stored["priority"], stored["disabled"]) == ("ar", -1, True)
    assert stored["feed_url"] == "https://wire.example/feed.xml"
    r = await ingest.client.patch(f"/v1/admin/agencies/{name}",
                                  json={"feed_url": None, "poll_interval_s": None}, headers=ADMIN)
    assert r.status_code == 200
    assert (r.json()["feed_url"], r.json()["poll_interval_s"]) == (None, None)


@pytest.mark.parametrize("patch, pointer", [
    ({"feed_url": "ftp://wire.example/feed"}, "/feed_url"),
    ({"feed_url": "not a url"}, "/feed_url"),
    ({"poll_interval_s": 1}, "/poll_interval_s"),
    ({"default_language": "english!"}, "/default_language"),
    ({"priority": None}, "/priority"),
    ({"colour": "red"}, "/colour"),
])
async def test_invalid_settings_are_422_with_the_field(ingest: Ingest, patch: dict,  # type: ignore[type-arg]
                                                       pointer: str) -> None:
    name, _ = await ingest.add_agency()
    r = await ingest.client.patch(f"/v1/admin/agencies/{name}", json=patch, headers=ADMIN)
    problem = assert_problem(r, 422, "validation-error")
    assert problem["errors"][0]["pointer"] == pointer


async def test_patch_of_an_unknown_agency_is_a_404(ingest: Ingest) -> None:
    r = await ingest.client.patch("/v1/admin/agencies/nobody", json={"priority": 1},
                                  headers=ADMIN)
    assert_problem(r, 404, "no-such-agency")
