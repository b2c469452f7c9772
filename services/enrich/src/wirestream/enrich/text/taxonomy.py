"""The taxonomy enrich tags against: plain concepts, CSV and IPTC SKOS JSON-LD.

Concepts are plain values, not ORM rows; whoever persists them maps them to
tables. Ids carry their kind as a prefix (``person:``, ``org:``, ``place:``,
``medtop:``) so code that only sees tag ids (story clustering) can still tell
an actor from a topic.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

ConceptKind = Literal["person", "organisation", "place", "topic"]
KINDS: tuple[ConceptKind, ...] = ("person", "organisation", "place", "topic")
CSV_COLUMNS = ("id", "kind", "lang", "label", "aliases", "iptc_uri")


@dataclass(frozen=True, slots=True)
class Concept:
    """A person, organisation, place or topic with labels and aliases per language."""

    id: str
    kind: ConceptKind
    labels: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    iptc_uri: str | None = None
    broader: tuple[str, ...] = ()

    def names(self) -> Iterable[tuple[str, str]]:
        """Every (language, name) the concept is written as: labels, then aliases."""
        for lang, label in self.labels.items():
            yield lang, label
        for lang, aliases in self.aliases.items():
            for alias in aliases:
                yield lang, alias


def merge_concepts(concepts: Iterable[Concept]) -> list[Concept]:
    """Merge concepts sharing an id: later labels win, aliases are unioned in order."""
    merged: dict[str, Concept] = {}
    for concept in concepts:
        old = merged.get(concept.id)
        if old is None:
            merged[concept.id] = concept
            continue
        aliases = {lang: list(names) for lang, names in old.aliases.items()}
        for lang, names in concept.aliases.items():
            known = aliases.setdefault(lang, [])
            known.extend(n for n in names if n not in known)
        merged[concept.id] = Concept(
            id=concept.id,
            kind=concept.kind,
            labels=old.labels | {k: v for k, v in concept.labels.items() if v},
            aliases=aliases,
            iptc_uri=concept.iptc_uri or old.iptc_uri,
            broader=concept.broader or old.broader,
        )
    return list(merged.values())


# --- CSV: one row per concept and language ----------------------------------


def parse_csv(text: str) -> list[Concept]:
    """Read concepts from CSV with columns ``id, kind, lang, label, aliases[, iptc_uri]``.

    Aliases are separated by ``|``. A concept spans several rows, one per
    language; rows for the same id are merged. Blank lines and rows whose id
    starts with ``#`` are skipped.
    """
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        concept_id = (row.get("id") or "").strip()
        if not concept_id or concept_id.startswith("#"):
            continue
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            raise ValueError(f"concept {concept_id!r}: unknown kind {kind!r}")
        lang = (row.get("lang") or "").strip()
        label = (row.get("label") or "").strip()
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
        rows.append(
            Concept(
                id=concept_id,
                kind=cast(ConceptKind, kind),  # checked against KINDS above
                labels={lang: label} if label else {},
                aliases={lang: aliases} if aliases else {},
                iptc_uri=(row.get("iptc_uri") or "").strip() or None,
            )
        )
    return merge_concepts(rows)


def to_csv(concepts: Iterable[Concept]) -> str:
    """Write concepts in the format :func:`parse_csv` reads (round-trips)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in concepts:
        for lang in sorted(set(c.labels) | set(c.aliases)):
            aliases = "|".join(c.aliases.get(lang, []))
            writer.writerow([c.id, c.kind, lang, c.labels.get(lang, ""), aliases, c.iptc_uri or ""])
    return out.getvalue()


# --- IPTC Media Topics, SKOS as JSON-LD -------------------------------------


def _lang(tag: str) -> str:
    return tag.split("-")[0].split("_")[0].lower()


def _lang_values(value: Any) -> dict[str, list[str]]:
    """``{"en-GB": "x"}``, ``{"en": ["x", "y"]}`` or ``[{"@language", "@value"}]``."""
    found: dict[str, list[str]] = {}
    if isinstance(value, Mapping):
        items = [(k, v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(v.get("@language", ""), v.get("@value")) for v in value if isinstance(v, dict)]
    else:
        return found
    for tag, text in items:
        for t in text if isinstance(text, list) else [text]:
            if isinstance(t, str) and t.strip():
                found.setdefault(_lang(tag), []).append(t.strip())
    return found


def _uris(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value] if value else []
    return tuple(v if isinstance(v, str) else v.get("@id", "") for v in values)


def parse_iptc_skos_jsonld(data: Mapping[str, Any]) -> list[Concept]:
    """Read IPTC Media Topics from the SKOS JSON-LD that cv.iptc.org serves.

    Accepts the whole scheme (``conceptSet`` or ``@graph``) or one concept.
    ``prefLabel`` gives the label per language (``en-GB`` becomes ``en``; the
    first tag of a language wins), ``altLabel`` the aliases, ``broader`` the
    parent URIs. Retired concepts are skipped. Ids are qcodes (``medtop:...``).
    """
    items = data.get("conceptSet") or data.get("@graph") or [data]
    concepts = []
    for item in items:
        if not isinstance(item, Mapping) or item.get("retired") or "prefLabel" not in item:
            continue
        uri = item.get("uri") or item.get("@id") or ""
        qcode = item.get("qcode") or "medtop:" + uri.rstrip("/").rsplit("/", 1)[-1]
        labels = {lang: names[0] for lang, names in _lang_values(item["prefLabel"]).items()}
        concepts.append(
            Concept(
                id=qcode,
                kind="topic",
                labels=labels,
                aliases=_lang_values(item.get("altLabel")),
                iptc_uri=uri or None,
                broader=_uris(item.get("broader")),
            )
        )
    return merge_concepts(concepts)
