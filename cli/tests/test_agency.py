"""``wirestream agency``: the existing commands plus ``set``."""

from __future__ import annotations

import re

import pytest

from wirestream.cli.main import main

pytestmark = pytest.mark.postgres


def test_agency_set_changes_only_what_is_given(ingest_env: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agency", "add", "wna", "--language", "en", "--priority", "2"]) == 0
    assert re.search(r"secret: whsec_\S+", capsys.readouterr().out)
    assert main(["agency", "set", "wna", "--feed-url", "https://wna.example/rss.xml",
                 "--poll-interval", "60"]) == 0
    assert main(["agency", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()[-1]
    assert "lang=en" in listed and "priority=2" in listed
    assert "feed=https://wna.example/rss.xml every 60s" in listed

    assert main(["agency", "set", "wna", "--disable", "--language", "none"]) == 0
    assert main(["agency", "set", "wna", "--feed-url", "none"]) == 0
    assert main(["agency", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()[-1]
    assert "disabled" in listed and "lang=-" in listed and "feed=" not in listed
    assert main(["agency", "set", "wna", "--enable"]) == 0
    assert "\tactive\t" in capsys.readouterr().out


def test_agency_set_refuses_bad_values_and_unknown_agencies(
        ingest_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agency", "add", "wna"]) == 0
    assert main(["agency", "set", "wna", "--feed-url", "ftp://x/feed"]) == 2
    assert "--feed-url" in capsys.readouterr().err
    assert main(["agency", "set", "wna", "--poll-interval", "2"]) == 2
    assert "--poll-interval" in capsys.readouterr().err
    assert main(["agency", "set", "nobody", "--priority", "1"]) == 1
    assert "no agency 'nobody'" in capsys.readouterr().err
    assert main(["agency", "rotate", "wna"]) == 0
    assert main(["agency", "disable", "wna"]) == 0
