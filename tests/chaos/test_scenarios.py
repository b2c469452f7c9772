"""Faults injected into the whole platform under load, reconciled from the outside.

``./wirestream test tests/chaos -m chaos`` runs the quick variant of every scenario;
``WIRESTREAM_CHAOS_FULL=1`` the long one. See docs/proof.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .report import record
from .runner import run_scenario
from .scenarios import SCENARIOS, Scenario, timings
from .stack import PG_URL, postgres_available

pytestmark = [pytest.mark.chaos, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(3600)]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_scenario(scenario: Scenario, tmp_path: Path) -> None:
    if scenario.postgres and not await postgres_available():
        if os.environ.get("WIRESTREAM_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but unreachable at {PG_URL}")
        pytest.skip("needs PostgreSQL (the database is cut off through a proxy)")
    result = await run_scenario(scenario, tmp_path, timings())
    record(result)
    problems = {
        "lost": result.lost, "duplicated": result.duplicated,
        "comments": result.comments.split(" / ")[0] != result.comments.split(" / ")[1],
        "deliveries": result.deliveries != "n/a"
        and not result.deliveries.startswith("0 / 0 "),
        "unexpected dead letters": not result.dead_letters.startswith("0 /"),
        "did not recover": result.recover_s is None,
        "did not settle": result.settle_s is None,
        "notes": bool(result.notes),
    }
    failed = [k for k, v in problems.items() if v]
    assert not failed, f"{scenario.name}: {failed}\n{result}"
