"""Finding the wire files of a backfill, and the tally of what happened to them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from wirestream.cli.tally import Progress, Summary
from wirestream.cli.wirefiles import content_type_for, wire_files


def test_directory_files_take_their_agency_from_the_top_directory(tmp_path: Path) -> None:
    (tmp_path / "afp" / "2024").mkdir(parents=True)
    (tmp_path / "afp" / "2024" / "a.xml").write_text("<x/>")
    (tmp_path / "afp" / ".git").mkdir()
    (tmp_path / "afp" / ".git" / "config").write_text("no")
    (tmp_path / "top.json").write_text("{}")
    files = wire_files(tmp_path, agency=None, max_bytes=100)
    assert [(f.name, f.agency) for f in files] == [("afp/2024/a.xml", "afp"), ("top.json", None)]
    assert [f.name for f in wire_files(tmp_path, agency="x", max_bytes=100)
            if f.agency == "x"] == ["afp/2024/a.xml", "top.json"]


def test_zip_members_over_the_limit_are_never_inflated(tmp_path: Path) -> None:
    archive = tmp_path / "w.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("reuters/small.json", b'{"uri": "u"}')
        zf.writestr("reuters/bomb.json", b"0" * 10_000)
        zf.writestr("__MACOSX/reuters/._small.json", b"junk")
    small, bomb = sorted(wire_files(archive, agency=None, max_bytes=1000),
                         key=lambda f: f.size)
    assert small.read() == b'{"uri": "u"}' and small.agency == "reuters"
    with pytest.raises(ValueError, match="limit"):
        bomb.read()


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        wire_files(tmp_path / "nope", agency=None, max_bytes=10)


def test_content_types_from_extensions() -> None:
    assert content_type_for("a/B.JSON") == "application/json"
    assert content_type_for("x.atom") == "application/atom+xml"
    assert content_type_for("story.txt") == "application/octet-stream"


def test_summary_counts_and_progress_line() -> None:
    summary = Summary()
    summary.add(["new", "update", "stale"])
    summary.add(["replayed"])
    summary.refuse("b.json", "422 missing-field")
    assert (summary.accepted, summary.duplicates, len(summary.refused)) == (2, 2, 1)
    report = summary.report()
    assert "new 1, update 1" in report and "stale 1, replayed 1" in report
    assert "    b.json: 422 missing-field" in report
    out = io.StringIO()
    progress = Progress(4, summary, stream=out)
    progress.update(force=True)
    progress.close()
    assert out.getvalue().startswith("\r3/4 files ( 75%)") and out.getvalue().endswith("\n")
