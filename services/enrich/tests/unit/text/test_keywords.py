from wirestream.enrich.text.keywords import extract_keywords, overlaps

ENGLISH = (
    "Russian President Vladimir Putin held a phone call with Chinese President Xi Jinping on "
    "Tuesday, the Kremlin said. The two leaders discussed energy supplies, the Power of "
    "Siberia 2 gas pipeline and grain exports. Putin's aide Yuri Ushakov said the talks "
    "were warm and that the pipeline contract was close to being signed."
)
ARABIC = (
    "أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جين بينغ، وبحث "
    "الجانبان إمدادات الطاقة وخط أنابيب الغاز قوة سيبيريا 2 وصادرات الحبوب. وقال مساعد "
    "الرئيس الروسي يوري أوشاكوف إن المحادثات كانت دافئة وإن عقد خط الأنابيب بات قريبا."
)


def labels(tags) -> list[str]:  # type: ignore[no-untyped-def]
    return [next(iter(t.labels.values())).casefold() for t in tags]


def test_keywords_are_keyword_tags() -> None:
    tags = extract_keywords(ENGLISH, "en", top=5)
    assert 0 < len(tags) <= 5
    assert all(t.kind == "keyword" and t.id.startswith("kw:") for t in tags)
    assert [t.confidence for t in tags] == sorted((t.confidence for t in tags), reverse=True)
    assert any("pipeline" in label or "siberia" in label for label in labels(tags))


def test_terms_already_tagged_are_excluded() -> None:
    before = labels(extract_keywords(ENGLISH, "en"))
    assert any("putin" in k or "vladimir" in k for k in before)
    after = labels(extract_keywords(ENGLISH, "en", exclude={"Vladimir Putin", "Putin", "Kremlin"}))
    assert after
    assert not any("putin" in k or "vladimir" in k or "kremlin" in k for k in after)


def test_arabic_exclusion_works_through_clitics() -> None:
    after = labels(extract_keywords(ARABIC, "ar", exclude={"فلاديمير بوتين", "شي جين بينغ"}))
    assert after
    assert not any("بوتين" in k or "بينغ" in k for k in after)


def test_overlapping_ngrams_are_collapsed() -> None:
    keys = [set(k.split()) for k in labels(extract_keywords(ENGLISH, "en", top=8))]
    for i, a in enumerate(keys):
        for b in keys[:i]:
            assert len(a & b) * 2 < len(a) or not a - {"the", "a"}


def test_unsupported_language_or_empty_text_gives_nothing() -> None:
    assert extract_keywords("习近平与普京通电话", "zh") == []
    assert extract_keywords("   ", "en") == []


def test_overlaps_ignores_stopwords() -> None:
    assert overlaps("President Putin's call", ["Vladimir Putin"])
    assert not overlaps("grain exports", ["Vladimir Putin"])
    assert not overlaps("the talks", ["the Kremlin"], stopwords=frozenset({"the"}))
