"""What start-up built is frozen out of the collector's full passes while the app serves,
and collectable again once it stops (tests start many apps in one process)."""

from __future__ import annotations

import gc

from .conftest import MakeHarness


async def test_the_start_up_heap_is_frozen_while_serving(make_harness: MakeHarness) -> None:
    h = await make_harness()
    assert gc.get_freeze_count() > 0
    r = await h.client.get("/health")
    assert r.status_code == 200


async def test_freezing_can_be_turned_off(make_harness: MakeHarness) -> None:
    await make_harness(gc_freeze=False)
    assert gc.get_freeze_count() == 0
