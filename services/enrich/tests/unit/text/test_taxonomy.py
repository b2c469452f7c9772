import json
from collections import Counter

import pytest

from wirestream.enrich.text.starter import country_concepts, load_starter_taxonomy
from wirestream.enrich.text.taxonomy import (
    Concept,
    merge_concepts,
    parse_csv,
    parse_iptc_skos_jsonld,
    to_csv,
)

PREFIX = {"person": "person:", "organisation": "org:", "place": "place:", "topic": "medtop:"}


@pytest.fixture(scope="module")
def starter() -> dict[str, Concept]:
    return {c.id: c for c in load_starter_taxonomy()}


def test_csv_round_trips() -> None:
    concepts = [
        Concept(
            id="person:jane-doe",
            kind="person",
            labels={"en": "Jane Doe", "ar": "جين دو"},
            aliases={"en": ["Doe", "J. Doe"], "ar": ["دو, جين"]},
        ),
        Concept(id="medtop:05000000", kind="topic", labels={"en": "education"},
                iptc_uri="http://cv.iptc.org/newscodes/mediatopic/05000000"),
    ]  # fmt: skip
    assert parse_csv(to_csv(concepts)) == concepts


def test_parse_csv_merges_rows_and_skips_comments() -> None:
    text = (
        "id,kind,lang,label,aliases\n"
        "# a comment,,,,\n"
        "org:acme,organisation,en,Acme,ACME|Acme Corp\n"
        "org:acme,organisation,ar,أكمي,\n"
        "\n"
    )
    [acme] = parse_csv(text)
    assert acme.labels == {"en": "Acme", "ar": "أكمي"}
    assert acme.aliases == {"en": ["ACME", "Acme Corp"]}


def test_parse_csv_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        parse_csv("id,kind,lang,label,aliases\nx:1,animal,en,Cat,\n")


def test_merge_concepts_later_labels_win_and_aliases_union() -> None:
    a = Concept("place:US", "place", {"en": "United States of America"}, {"en": ["USA"]})
    b = Concept("place:US", "place", {"en": "United States"}, {"en": ["USA", "US"]})
    [merged] = merge_concepts([a, b])
    assert merged.labels == {"en": "United States"}
    assert merged.aliases == {"en": ["USA", "US"]}


def test_parse_iptc_skos_jsonld_scheme() -> None:
    data = {
        "uri": "http://cv.iptc.org/newscodes/mediatopic/",
        "conceptSet": [
            {
                "uri": "http://cv.iptc.org/newscodes/mediatopic/20000003",
                "qcode": "medtop:20000003",
                "prefLabel": {"en-GB": "animation", "en-US": "animated film", "fr": "animation"},
                "altLabel": {"en-GB": ["cartoons"], "ar": "رسوم متحركة"},
                "broader": ["http://cv.iptc.org/newscodes/mediatopic/20000002"],
            },
            {"uri": "http://cv.iptc.org/newscodes/mediatopic/20000004", "retired": "2020-01-01",
             "prefLabel": {"en-GB": "gone"}},
        ],
    }  # fmt: skip
    [topic] = parse_iptc_skos_jsonld(data)
    assert topic.id == "medtop:20000003"
    assert topic.kind == "topic"
    assert topic.labels == {"en": "animation", "fr": "animation"}
    assert topic.aliases == {"en": ["cartoons"], "ar": ["رسوم متحركة"]}
    assert topic.broader == ("http://cv.iptc.org/newscodes/mediatopic/20000002",)
    assert topic.iptc_uri == "http://cv.iptc.org/newscodes/mediatopic/20000003"


def test_parse_iptc_skos_jsonld_graph_with_language_objects() -> None:
    data = {
        "@graph": [
            {
                "@id": "http://cv.iptc.org/newscodes/mediatopic/15000000",
                "prefLabel": [{"@language": "en", "@value": "sport"},
                              {"@language": "ar", "@value": "الرياضة"}],
                "broader": {"@id": "http://cv.iptc.org/newscodes/mediatopic/"},
            }
        ]
    }  # fmt: skip
    [topic] = parse_iptc_skos_jsonld(data)
    assert topic.id == "medtop:15000000"
    assert topic.labels == {"en": "sport", "ar": "الرياضة"}


def test_starter_has_the_17_top_level_media_topics(starter: dict[str, Concept]) -> None:
    topics = [c for c in starter.values() if c.kind == "topic"]
    assert sorted(c.id for c in topics) == [f"medtop:{i:02d}000000" for i in range(1, 18)]
    assert all(c.labels.get("en") and c.labels.get("ar") for c in topics)
    assert starter["medtop:15000000"].labels["en"] == "sport"


def test_starter_countries_have_arabic_and_english_names(starter: dict[str, Concept]) -> None:
    countries = [c for c in starter.values() if len(c.id) == len("place:XX")]
    assert len(countries) >= 249
    assert all(c.labels.get("en") and c.labels.get("ar") for c in countries)
    us = starter["place:US"]
    assert {"US", "USA", "United States"} <= set(us.aliases["en"]) | {us.labels["en"]}
    assert {"أمريكا", "الولايات المتحدة"} <= set(us.aliases["ar"]) | {us.labels["ar"]}


def test_pycountry_names_are_shortened_without_colliding() -> None:
    by_id = {c.id: c for c in country_concepts(("de",))}
    assert by_id["place:KR"].labels["de"] != by_id["place:KP"].labels["de"]
    assert by_id["place:TZ"].labels["en"] == "Tanzania"


def test_starter_people_and_organisations(starter: dict[str, Concept]) -> None:
    counts = Counter(c.kind for c in starter.values())
    assert counts["person"] + counts["organisation"] >= 250
    putin = starter["person:vladimir-putin"]
    assert "Putin" in putin.aliases["en"] and "بوتين" in putin.aliases["ar"]
    for c in starter.values():
        if c.kind in ("person", "organisation"):
            assert c.labels.get("en") and c.labels.get("ar"), c.id


def test_starter_ids_are_unique_and_carry_their_kind(starter: dict[str, Concept]) -> None:
    assert all(c.id.startswith(PREFIX[c.kind]) for c in starter.values())
    assert len(starter) == len(load_starter_taxonomy())


def test_starter_survives_csv_round_trip(starter: dict[str, Concept]) -> None:
    concepts = [c for c in starter.values() if c.kind != "topic"]
    again = {c.id: c for c in parse_csv(to_csv(concepts))}
    assert again["person:vladimir-putin"] == starter["person:vladimir-putin"]
    assert len(again) == len(concepts)


def test_medtop_file_is_valid_jsonld_shape() -> None:
    from importlib import resources

    raw = resources.files("wirestream.enrich").joinpath("data", "medtop.jsonld").read_text()
    assert len(json.loads(raw)["conceptSet"]) == 17
