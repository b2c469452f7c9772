from __future__ import annotations

import pytest

from wirestream.common.kills import outlives_kill
from wirestream.common.testing import make_article


@pytest.mark.parametrize(("version", "status", "alive"), [
    (1, "usable", False),     # older than the kill: it arrived late
    (2, "usable", False),     # the killed version itself
    (3, "usable", True),      # the agency sent a newer version after the kill
    (3, "withheld", False),
    (3, "canceled", False),
])
def test_only_a_higher_usable_version_outlives_a_kill(version: int, status: str,
                                                      alive: bool) -> None:
    assert outlives_kill(make_article(version=version, pub_status=status), 2) is alive
