"""Filters against facets: pure, no I/O."""

from __future__ import annotations

import pytest

from wirestream.publish.push.matching import Facets, Filters, matches, union

ECONOMY = Facets(languages=frozenset({"en"}), sections=frozenset({"business"}),
                 stories=frozenset({"st1"}), tags=frozenset({"medtop:04000000", "org:ecb"}),
                 iptc=frozenset({"medtop:04000000"}), urgency=3)


def f(**data: object) -> Filters:
    return Filters.from_json(data)


def test_no_filters_take_the_default_event_types() -> None:
    assert matches(f(), "published", ECONOMY)
    assert matches(f(), "updated", ECONOMY)
    assert matches(f(), "killed", ECONOMY)
    assert not matches(f(), "story_changed", ECONOMY)
    assert not matches(f(), "comment_approved", ECONOMY)


@pytest.mark.parametrize(("filters", "expected"), [
    ({"tags": ["org:ecb"]}, True),
    ({"tags": ["org:fed"]}, False),
    ({"tags": ["org:fed", "org:ecb"]}, True),  # any of a list
    ({"iptc": ["medtop:04000000"]}, True),
    ({"iptc": ["medtop:15000000"]}, False),
    ({"sections": ["business"]}, True),
    ({"sections": ["sport"]}, False),
    ({"stories": ["st1"]}, True),
    ({"stories": ["st2"]}, False),
    ({"languages": ["en", "fr"]}, True),
    ({"languages": ["ar"]}, False),
    ({"min_urgency": 3}, True),
    ({"min_urgency": 4}, True),
    ({"min_urgency": 2}, False),  # urgency 3 is less urgent than 2
    ({"tags": ["org:ecb"], "languages": ["ar"]}, False),  # all lists must match
    ({"event_types": ["killed"]}, False),
])
def test_each_filter(filters: dict[str, object], expected: bool) -> None:
    assert matches(f(**filters), "published", ECONOMY) is expected


def test_unknown_urgency_never_passes_an_urgency_filter() -> None:
    assert not matches(f(min_urgency=9), "published", Facets())
    assert matches(f(), "published", Facets())


def test_a_story_is_the_union_of_its_articles() -> None:
    other = Facets(languages=frozenset({"ar"}), tags=frozenset({"place:cairo"}), urgency=1)
    story = union([ECONOMY, other])
    assert story.languages == {"en", "ar"} and story.urgency == 1
    assert matches(f(event_types=["story_changed"], tags=["place:cairo"]), "story_changed", story)
