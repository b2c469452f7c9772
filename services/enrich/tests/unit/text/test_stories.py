import json
from datetime import UTC, datetime, timedelta

from wirestream.enrich.text.stories import StoryClusterer, shingles

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)

RT_ARABIC = (
    "أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جين بينغ، "
    "بحث خلاله الجانبان العلاقات الثنائية والأوضاع في أوكرانيا."
)
XINHUA_ENGLISH = (
    "Chinese President Xi Jinping spoke with Russian President Vladimir Putin by phone on "
    "Tuesday, discussing bilateral ties and the situation in Ukraine."
)
CALL_TAGS = {"person:vladimir-putin", "person:xi-jinping", "place:RU", "place:CN", "place:UA"}
WIRE_COPY = (
    "Heavy rain flooded streets in the port city overnight, forcing the closure of schools "
    "and the main highway. Civil defence teams evacuated dozens of families from low-lying "
    "districts and the weather service warned of more storms through Thursday."
)
REWRITE = WIRE_COPY.replace("overnight", "on Tuesday night").replace("dozens of", "40")
OTHER = (
    "The central bank kept interest rates unchanged on Wednesday and signalled that "
    "inflation would ease gradually over the coming year as energy prices fall."
)


def test_first_article_starts_a_story() -> None:
    clusterer = StoryClusterer()
    assert clusterer.assign("a1", WIRE_COPY, set(), T0) == "story:a1"
    assert clusterer.story_of("a1") == "story:a1"


def test_near_duplicate_joins_the_story() -> None:
    clusterer = StoryClusterer()
    story = clusterer.assign("a1", WIRE_COPY, set(), T0)
    assert clusterer.assign("a2", REWRITE, set(), T0 + timedelta(hours=2)) == story


def test_unrelated_article_starts_its_own_story() -> None:
    clusterer = StoryClusterer()
    clusterer.assign("a1", WIRE_COPY, set(), T0)
    assert clusterer.assign("a2", OTHER, set(), T0 + timedelta(hours=1)) == "story:a2"


def test_same_event_across_languages_joins_through_tags() -> None:
    clusterer = StoryClusterer()
    story = clusterer.assign("rt-1", RT_ARABIC, CALL_TAGS, T0)
    tags = CALL_TAGS | {"org:kremlin"}
    assert clusterer.assign("xinhua-1", XINHUA_ENGLISH, tags, T0 + timedelta(hours=1)) == story


def test_a_shared_person_alone_is_not_a_story() -> None:
    clusterer = StoryClusterer()
    clusterer.assign("a1", RT_ARABIC, CALL_TAGS, T0)
    other_tags = {"person:vladimir-putin", "place:RU", "place:TR", "person:recep-tayyip-erdogan",
                  "org:nato", "place:SY"}  # fmt: skip
    later = T0 + timedelta(hours=3)
    assert clusterer.assign("a2", "Putin met Erdogan in Sochi.", other_tags, later) == "story:a2"


def test_tags_without_a_shared_place_do_not_join() -> None:
    clusterer = StoryClusterer()
    clusterer.assign("a1", "one", {"person:xi-jinping", "place:CN"}, T0)
    assert clusterer.assign("a2", "two", {"person:xi-jinping"}, T0) == "story:a2"


def test_outside_the_window_starts_a_new_story() -> None:
    clusterer = StoryClusterer(window=timedelta(hours=48))
    clusterer.assign("a1", WIRE_COPY, set(), T0)
    assert clusterer.assign("a2", REWRITE, set(), T0 + timedelta(hours=49)) == "story:a2"
    assert clusterer.story_of("a1") is None  # evicted
    assert len(clusterer) == 1


def test_past_max_items_the_oldest_leave_the_window() -> None:
    clusterer = StoryClusterer(max_items=2)
    clusterer.assign("a1", WIRE_COPY, set(), T0)
    clusterer.assign("b1", OTHER, set(), T0 + timedelta(minutes=1))
    clusterer.assign("c1", RT_ARABIC, CALL_TAGS, T0 + timedelta(minutes=2))
    assert len(clusterer) == 2
    assert clusterer.story_of("a1") is None  # the oldest went first
    # A rewrite of the evicted item finds nothing to join any more.
    assert clusterer.assign("a2", REWRITE, set(), T0 + timedelta(minutes=3)) == "story:a2"
    assert clusterer.story_of("b1") is None and len(clusterer) == 2


def test_new_version_keeps_its_story() -> None:
    clusterer = StoryClusterer()
    story = clusterer.assign("a1", WIRE_COPY, set(), T0)
    clusterer.assign("a2", REWRITE, set(), T0)
    assert clusterer.assign("a1", OTHER, set(), T0 + timedelta(minutes=5)) == story
    assert len(clusterer) == 2


def test_related_lists_story_members_first() -> None:
    clusterer = StoryClusterer()
    clusterer.assign("a1", WIRE_COPY, set(), T0)
    clusterer.assign("a2", REWRITE, set(), T0 + timedelta(hours=1))
    clusterer.assign("a3", OTHER, set(), T0 + timedelta(hours=1))
    clusterer.assign("rt", RT_ARABIC, CALL_TAGS, T0)
    clusterer.assign("xh", XINHUA_ENGLISH, CALL_TAGS, T0)
    assert clusterer.related("a1") == ["a2"]
    assert clusterer.related("rt") == ["xh"]
    assert clusterer.related("missing") == []


def test_forget_removes_an_article() -> None:
    clusterer = StoryClusterer()
    clusterer.assign("a1", WIRE_COPY, set(), T0)
    clusterer.forget("a1")
    assert clusterer.assign("a2", REWRITE, set(), T0) == "story:a2"


def test_state_round_trips_through_json() -> None:
    clusterer = StoryClusterer(window=timedelta(hours=24))
    story = clusterer.assign("a1", WIRE_COPY, set(), T0)
    clusterer.assign("rt", RT_ARABIC, CALL_TAGS, T0)
    clusterer.assign("empty", "", set(), T0)
    state = json.loads(json.dumps(clusterer.to_dict()))
    restored = StoryClusterer.from_dict(state)
    assert restored.to_dict() == clusterer.to_dict()
    assert restored.window == timedelta(hours=24)
    assert restored.assign("a2", REWRITE, set(), T0 + timedelta(hours=1)) == story
    assert restored.assign("xh", XINHUA_ENGLISH, CALL_TAGS, T0) == "story:rt"


def test_naive_datetimes_are_taken_as_utc() -> None:
    clusterer = StoryClusterer()
    story = clusterer.assign("a1", WIRE_COPY, set(), T0)
    assert clusterer.assign("a2", REWRITE, set(), T0.replace(tzinfo=None)) == story


def test_shingles_ignore_clitics_and_case() -> None:
    assert shingles("والرئيس بوتين يتحدث") == shingles("الرئيس بوتين يتحدث")
    assert shingles("The PRESIDENT spoke") == shingles("the president spoke")
    assert shingles("") == set()
