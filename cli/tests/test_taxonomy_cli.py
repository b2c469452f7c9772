"""``wirestream taxonomy``: add, list, import (CSV, IPTC SKOS JSON-LD), export, on SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.cli.main import main
from wirestream.enrich.text.taxonomy import parse_csv

JSONLD = {"conceptSet": [{
    "uri": "http://cv.iptc.org/newscodes/mediatopic/20000148", "qcode": "medtop:20000148",
    "prefLabel": {"en-GB": "flood", "ar": "فيضان"}, "altLabel": {"en-GB": ["flooding"]}}]}


def run(db: str, *args: str) -> int:
    return main(["taxonomy", "--database-url", db, *args])


def test_add_list_import_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'enrich.db'}"
    assert run(db, "add", "org:coastal-water-authority", "--kind", "organisation",
               "--label", "en=Coastal Water Authority", "--label", "ar=هيئة مياه الساحل",
               "--alias", "en=CWA") == 0
    assert run(db, "list", "--search", "coastal") == 0
    out = capsys.readouterr().out
    assert "org:coastal-water-authority\torganisation\tar=هيئة مياه الساحل; en=Coastal" in out

    (tmp_path / "topics.jsonld").write_text(json.dumps(JSONLD), "utf-8")
    assert run(db, "import", str(tmp_path / "topics.jsonld")) == 0
    (tmp_path / "extra.csv").write_text(
        "id,kind,lang,label,aliases\norg:coastal-water-authority,organisation,fr,"
        "Autorité des eaux côtières,\n", "utf-8")
    assert run(db, "import", str(tmp_path / "extra.csv")) == 0
    capsys.readouterr()

    assert run(db, "export", str(tmp_path / "out.csv")) == 0
    concepts = {c.id: c for c in parse_csv((tmp_path / "out.csv").read_text("utf-8"))}
    authority = concepts["org:coastal-water-authority"]
    # Merged, not replaced: the CSV added French and kept English, Arabic and the alias.
    assert authority.labels == {"en": "Coastal Water Authority", "ar": "هيئة مياه الساحل",
                                "fr": "Autorité des eaux côtières"}
    assert authority.aliases == {"en": ["CWA"]}
    assert concepts["medtop:20000148"].labels == {"en": "flood", "ar": "فيضان"}
    assert "person:vladimir-putin" in concepts  # the starter set seeded the empty database

    assert run(db, "import", "--replace", str(tmp_path / "extra.csv")) == 0
    capsys.readouterr()
    assert run(db, "export") == 0
    exported = {c.id: c for c in parse_csv(capsys.readouterr().out)}
    assert exported["org:coastal-water-authority"].labels == {"fr": "Autorité des eaux côtières"}


def test_bad_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'enrich.db'}"
    (tmp_path / "bad.csv").write_text("id,kind,lang,label\nx:y,ship,en,Boat\n", "utf-8")
    assert run(db, "import", str(tmp_path / "bad.csv")) == 1
    assert "unknown kind" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(db, "add", "org:x", "--kind", "organisation", "--label", "no-equals-sign")
