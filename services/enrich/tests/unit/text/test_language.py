import pytest

from wirestream.enrich.text.language import LanguageDetector, normalize_code

ENGLISH = (
    "Russian President Vladimir Putin and Chinese President Xi Jinping spoke by telephone "
    "on Tuesday and agreed to deepen cooperation in energy and trade, the Kremlin said."
)
ARABIC = (
    "أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جين بينغ "
    "واتفق الجانبان على تعميق التعاون في مجالي الطاقة والتجارة."
)
FRENCH = "Le président français a rencontré hier soir les représentants des syndicats à Paris."


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(["ar", "en", "fr", "de", "es", "ru", "zh"])


def test_nothing_is_built_until_needed() -> None:
    assert LanguageDetector(["en", "ar"])._lingua is None


def test_declared_language_is_kept_when_detection_agrees(detector: LanguageDetector) -> None:
    assert detector.detect("Putin, Xi talk", ENGLISH, "en-GB") == "en"
    assert detector.detect("بوتين وشي", ARABIC, "ar") == "ar"


def test_detection_overrides_a_wrong_declaration(detector: LanguageDetector) -> None:
    assert detector.detect("Putin, Xi talk", ENGLISH, "ar") == "en"
    assert detector.detect("", ARABIC, "en") == "ar"
    assert detector.detect("", FRENCH, "de") == "fr"


def test_short_text_trusts_the_agency(detector: LanguageDetector) -> None:
    assert detector.detect("Brexit", "", "fr") == "fr"
    assert detector.detect("OK 2024", "", "ar") == "ar"


def test_no_declaration_uses_detection(detector: LanguageDetector) -> None:
    assert detector.detect("", ARABIC, None) == "ar"
    assert detector.detect("习近平与普京通电话", "中方表示愿与俄方加强合作。", None) == "zh"


def test_nothing_to_go_on_is_undetermined(detector: LanguageDetector) -> None:
    assert detector.detect("", "", None) == "und"
    assert detector.detect("", "1234 5678", None) == "und"


def test_unconfigured_declared_language_is_trusted(detector: LanguageDetector) -> None:
    assert (
        detector.detect("", "Il presidente ha parlato ieri sera a Roma con i giornalisti.", "it")
        == "it"
    )


def test_restricted_to_configured_languages() -> None:
    two = LanguageDetector(["ar", "en"])
    assert two.detect_text(FRENCH) in {"ar", "en"}


@pytest.mark.parametrize("codes", [["en"], ["en", "xx"], []])
def test_rejects_bad_configuration(codes: list[str]) -> None:
    with pytest.raises(ValueError):
        LanguageDetector(codes)


@pytest.mark.parametrize(
    ("raw", "code"), [("en-GB", "en"), ("AR", "ar"), ("zh_Hans", "zh"), ("  ", None), (None, None)]
)
def test_normalize_code(raw: str | None, code: str | None) -> None:
    assert normalize_code(raw) == code


PERSIAN = (
    "رئیس جمهور روسیه ولادیمیر پوتین و همتای چینی او شی جین پینگ روز سه شنبه تلفنی گفتگو "
    "کردند و توافق کردند که همکاری در زمینه انرژی و تجارت را گسترش دهند."
)


def test_a_script_only_one_configured_language_writes_settles_it_without_lingua() -> None:
    fresh = LanguageDetector(["ar", "en", "fr", "de", "es", "ru", "zh"])
    assert fresh.detect("", ARABIC, "en") == "ar"
    assert fresh.detect("", f"{ARABIC} (RT, BBC) {ARABIC}", "ar") \
        == "ar"  # a few Latin names do not make it another language
    assert fresh.detect("", "Президент России провёл переговоры с председателем КНР.", None) \
        == "ru"
    assert fresh._lingua is None  # lingua was never needed


def test_mixed_scripts_and_shared_scripts_go_to_lingua() -> None:
    fresh = LanguageDetector(["ar", "en"])
    assert fresh.detect("", ENGLISH + " (بوتين)", "ar") == "en"
    assert fresh._lingua is not None
    shared = LanguageDetector(["ar", "fa", "en"])  # two languages write Arabic script
    assert shared.detect("", PERSIAN, "ar") == "fa"
    assert shared.detect("", ARABIC, "fa") == "ar"
