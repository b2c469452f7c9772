import pytest

from wirestream.enrich.text.matcher import TaxonomyMatcher
from wirestream.enrich.text.starter import load_starter_taxonomy
from wirestream.enrich.text.taxonomy import Concept

# Items written for these tests, in the style of the agencies Wirestream takes.
RT_ARABIC = (
    "أجرى الرئيسُ الروسي فلاديمير بوتين اتصالاً هاتفياً مع نظيره الصيني شي جين بينغ، "
    "بحث خلاله الجانبان العلاقات الثنائية بين روسيا والصين والأوضاع في أوكرانيا. "
    "وقال المتحدث باسم الكرملين إن لبوتين وجهات نظر متطابقة مع بكين، "
    "وإن الاتصال تطرق إلى التعاون داخل مجموعة بريكس وإلى العلاقات مع الولايات المتحدة."
)
XINHUA_ENGLISH = (
    "Chinese President Xi Jinping spoke with Russian President Vladimir Putin by phone on "
    "Tuesday. Xi said China and Russia should deepen cooperation within BRICS and the "
    "Shanghai Cooperation Organisation. Putin's office said the two leaders also discussed "
    "Ukraine and relations with the U.S."
)
UNRELATED_ENGLISH = (
    "Roast the turkey for three hours, then rest it under foil. Serve with apple sauce and "
    "a green salad; the recipe feeds six. Who needs dessert? Ask us for more ideas - our "
    "kitchen team has fed families for years and trumps any takeaway."
)
UNRELATED_ARABIC = (
    "شارك المتسابق في حلبة السباق صباح اليوم، وسقطت قطرة ماء على زجاج السيارة قبل "
    "الانطلاق. وقال المدرب إن البيت الذي يسكنه الفريق قريب من المضمار."
)


@pytest.fixture(scope="module")
def matcher() -> TaxonomyMatcher:
    return TaxonomyMatcher(load_starter_taxonomy())


def ids(tags) -> set[str]:  # type: ignore[no-untyped-def]
    return {t.id for t in tags}


def test_arabic_item_tagged_through_tashkeel_and_clitics(matcher: TaxonomyMatcher) -> None:
    found = ids(matcher.match(RT_ARABIC, "ar"))
    assert {
        "person:vladimir-putin",
        "person:xi-jinping",
        "place:RU",
        "place:CN",
        "place:UA",
        "place:US",
        "place:beijing",
        "org:kremlin",
        "org:brics",
    } <= found


@pytest.mark.parametrize(
    "text",
    [
        "وبوتين يلتقي الصحفيين",
        "قال لبوتين مستشاروه",
        "بِوتين يلقي كلمة",
        "بـــوتين يلقي كلمة",
        "فبوتين قرر",
    ],
)
def test_arabic_name_variants(matcher: TaxonomyMatcher, text: str) -> None:
    assert "person:vladimir-putin" in ids(matcher.match(text, "ar"))


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("وصل الوفد إلى للصين أمس", "place:CN"),
        ("قالت والولايات المتحدة", "place:US"),
        ("زار بالولايات المتحدة", "place:US"),
        ("قصف على قطاع غزة", "place:gaza"),
        ("عاد الى غزه امس", "place:gaza"),
        ("أعلنت وزارة الخارجية في إسرائيل", "place:IL"),
        ("اسرائيل تعلن", "place:IL"),
        ("تقرير الأمم المتحدة", "org:un"),
        ("بيان للأمم المتحدة", "org:un"),
        ("اعلن الحوثيين", "org:houthis"),
        ("قال الحوثيون", "org:houthis"),
        ("مستشفى تابع لمنظمة الصحة العالمية", "org:who"),
    ],
)
def test_arabic_spelling_and_clitic_variants(
    matcher: TaxonomyMatcher, text: str, concept: str
) -> None:
    assert concept in ids(matcher.match(text, "ar"))


def test_english_item(matcher: TaxonomyMatcher) -> None:
    found = ids(matcher.match(XINHUA_ENGLISH, "en"))
    assert {
        "person:vladimir-putin",
        "person:xi-jinping",
        "place:RU",
        "place:CN",
        "place:UA",
        "place:US",
        "org:brics",
        "org:sco",
    } <= found
    assert "org:kremlin" not in found


def test_no_tags_from_unrelated_text(matcher: TaxonomyMatcher) -> None:
    assert ids(matcher.match(UNRELATED_ENGLISH, "en")) == set()
    assert ids(matcher.match(UNRELATED_ARABIC, "ar")) == set()


def test_acronyms_need_capitals(matcher: TaxonomyMatcher) -> None:
    assert ids(matcher.match("WHO warns of outbreak; US aid paused", "en")) >= {
        "org:who",
        "place:US",
    }
    assert ids(matcher.match("who warns us", "en")) == set()
    assert ids(matcher.match("Who knows?", "en")) == set()


def test_names_need_capitals_but_not_exact_case(matcher: TaxonomyMatcher) -> None:
    assert "person:donald-trump" in ids(matcher.match("TRUMP SIGNS ORDER", "en"))
    assert "person:donald-trump" in ids(matcher.match("Trump signs order", "en"))
    assert ids(matcher.match("this trumps that", "en")) == set()


def test_longest_phrase_wins(matcher: TaxonomyMatcher) -> None:
    assert ids(matcher.match("South Korea and Japan", "en")) == {"place:KR", "place:JP"}
    assert ids(matcher.match("في جنوب السودان", "ar")) == {"place:SS"}
    assert ids(matcher.match("Democratic Republic of the Congo", "en")) == {"place:CD"}


def test_english_possessive_and_plural(matcher: TaxonomyMatcher) -> None:
    assert "person:benjamin-netanyahu" in ids(matcher.match("Netanyahu's coalition", "en"))
    assert "org:houthis" in ids(matcher.match("The Houthis fired", "en"))


def test_accents_are_optional(matcher: TaxonomyMatcher) -> None:
    for text in ("Erdogan said", "Erdoğan said", "ERDOĞAN SAID"):
        assert "person:recep-tayyip-erdogan" in ids(matcher.match(text, "en")), text


def test_other_languages_names_only_in_their_language(matcher: TaxonomyMatcher) -> None:
    # German "Island" is Iceland; English "Island" is not.
    assert "place:IS" in ids(matcher.match("Die Regierung in Island", "de"))
    assert "place:IS" not in ids(matcher.match("Island nations met", "en"))


def test_chinese_names_match_inside_runs(matcher: TaxonomyMatcher) -> None:
    assert {"place:CN", "place:RU"} <= ids(matcher.match("中国外交部表示俄罗斯是重要伙伴", "zh"))


def test_confidence_reflects_headline_position_and_count(matcher: TaxonomyMatcher) -> None:
    filler = "Officials met again today to discuss the situation at length. " * 12
    body = filler + "Qatar offered to mediate. Qatar later confirmed the talks."
    [late] = matcher.match(body, "en")
    [headline] = matcher.match(body, "en", headline="Qatar to mediate")
    [lead] = matcher.match("Qatar offered to mediate. " + filler, "en")
    assert headline.confidence > late.confidence
    assert lead.confidence > matcher.match(filler + "Qatar offered.", "en")[0].confidence
    assert 0 < late.confidence < 1


def test_topics_need_two_cues_or_the_headline(matcher: TaxonomyMatcher) -> None:
    assert ids(matcher.match("The army said nothing.", "en")) == set()
    assert "medtop:16000000" in ids(matcher.match("The army fired missiles.", "en"))
    assert "medtop:16000000" in ids(
        matcher.match("Nothing else.", "en", headline="Ceasefire holds")
    )


def test_tags_carry_all_labels(matcher: TaxonomyMatcher) -> None:
    [tag] = matcher.match("بوتين", "ar")
    assert tag.kind == "person"
    assert tag.labels == {"en": "Vladimir Putin", "ar": "فلاديمير بوتين"}
    assert tag.label("ar") == "فلاديمير بوتين"


def test_short_ambiguous_aliases_are_not_indexed() -> None:
    concepts = [
        Concept("org:x", "organisation", {"en": "X"}, {"en": ["Twitter"], "ar": ["شل"]}),
        Concept("place:is", "place", {"en": "is"}),
    ]
    matcher = TaxonomyMatcher(concepts)
    assert matcher.match("X is what Twitter became; شل", None) == [*matcher.match("Twitter", None)]


def test_surfaces_are_reported(matcher: TaxonomyMatcher) -> None:
    [mention] = matcher.find("قال لبوتين", "ar")
    assert mention.surfaces == {"لبوتين"}
    assert mention.count == 1


def test_undetermined_language_accepts_every_name(matcher: TaxonomyMatcher) -> None:
    assert "person:vladimir-putin" in ids(matcher.match("بوتين", "und"))
    assert "person:vladimir-putin" in ids(matcher.match("بوتين", None))


def test_concepts_sharing_a_name_are_all_tagged() -> None:
    # A narrow topic imported next to a broad one with the same cue word: both are
    # meant, and which one won used to depend on set order (string hashing).
    broad = Concept(id="medtop:17000000", kind="topic", labels={"en": "weather"},
                    aliases={"en": ["floods"]})
    narrow = Concept(id="medtop:20000148", kind="topic", labels={"en": "flood"},
                     aliases={"en": ["floods"]})
    for concepts in ([broad, narrow], [narrow, broad]):
        tags = TaxonomyMatcher(concepts).match("Roads closed.", "en",
                                               headline="Heavy rain floods streets")
        assert sorted(t.id for t in tags) == ["medtop:17000000", "medtop:20000148"]
