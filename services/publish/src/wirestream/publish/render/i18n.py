"""Interface strings, text direction, dates and numerals for English and Arabic pages.

Languages other than Arabic fall back to the English strings; article text
itself is never translated here.
"""

from __future__ import annotations

from datetime import UTC, datetime

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})

# key: (English, Arabic)
_STRINGS: dict[str, tuple[str, str]] = {
    "live": ("Live", "مباشر"),
    "breaking": ("Breaking", "عاجل"),
    "updated": ("Updated", "محدّث"),
    "published": ("Published", "نُشر"),
    "correction": ("Correction", "تصحيح"),
    "comments": ("Comments", "التعليقات"),
    "related": ("Related", "ذات صلة"),
    "machine_translated": ("Machine translated", "ترجمة آلية"),
    "machine_translated_from": (
        "Machine translated from {language} by {engine}. The original may differ.",
        "ترجمة آلية من {language} بواسطة {engine}. قد يختلف النص الأصلي.",
    ),
    "by": ("By {name}", "بقلم {name}"),
    "sources": ("Sources", "المصادر"),
    "story": ("Story", "قصة"),
    "part_of_story": ("Part of the story", "ضمن قصة"),
    "latest": ("Latest", "آخر الأخبار"),
    "top_stories": ("Top stories", "أبرز الأخبار"),
    "topics": ("Topics", "مواضيع"),
    "read_in": ("Read in", "اقرأ بـ"),
    "languages": ("Languages", "اللغات"),
    "home": ("Front page", "الرئيسية"),
    "sections": ("Sections", "الأقسام"),
    "skip": ("Skip to content", "انتقل إلى المحتوى"),
    "no_items": ("Nothing here yet.", "لا توجد مواد بعد."),
    "comment_name": ("Name", "الاسم"),
    "comment_body": ("Your comment", "تعليقك"),
    "comment_submit": ("Post comment", "أرسل التعليق"),
    "comment_pending": (
        "Thanks — your comment is awaiting moderation.",
        "شكراً، تعليقك بانتظار المراجعة.",
    ),
    "comment_error": (
        "Your comment could not be posted. Please try again.",
        "تعذّر نشر تعليقك. يرجى المحاولة مرة أخرى.",
    ),
    "no_comments": ("No comments yet. Be the first.", "لا تعليقات بعد. كن أول من يعلّق."),
    "featured_comment": ("Featured", "تعليق مميّز"),
    "poll": ("Poll", "استطلاع"),
    "vote": ("Vote", "صوّت"),
    "poll_closed": ("Voting has closed", "انتهى التصويت"),
    "poll_error": ("Your vote could not be counted.", "تعذّر احتساب صوتك."),
    "corrected": ("This article has been corrected.", "صُحّحت هذه المادة."),
    "gone_title": ("This article is no longer available", "لم تعد هذه المادة متاحة"),
    "gone_body": (
        "It was withdrawn by its source and has been removed from this site.",
        "سحبها مصدرها وأُزيلت من هذا الموقع.",
    ),
    "back_home": ("Back to the front page", "العودة إلى الصفحة الرئيسية"),
    "feed": ("Feed", "الخلاصة"),
    "tagline": ("Wire news as it happens", "أخبار الوكالات لحظة بلحظة"),
    "photo": ("Photo", "صورة"),
    "kind_person": ("Person", "شخصية"),
    "kind_organisation": ("Organisation", "منظمة"),
    "kind_place": ("Place", "مكان"),
    "kind_topic": ("Topic", "موضوع"),
    "kind_keyword": ("Keyword", "كلمة مفتاحية"),
    "section_world": ("World", "العالم"),
    "section_politics": ("Politics", "سياسة"),
    "section_business": ("Business", "اقتصاد"),
    "section_technology": ("Technology", "تكنولوجيا"),
    "section_science": ("Science", "علوم"),
    "section_sport": ("Sport", "رياضة"),
    "section_culture": ("Culture", "ثقافة"),
}

# Plural forms by CLDR category; Arabic distinguishes six.
_PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "votes": {
        "en": {"one": "{n} vote", "other": "{n} votes"},
        "ar": {
            "zero": "لا أصوات",
            "one": "صوت واحد",
            "two": "صوتان",
            "few": "{n} أصوات",
            "many": "{n} صوتًا",
            "other": "{n} صوت",
        },
    },
    "items": {
        "en": {"one": "{n} item", "other": "{n} items"},
        "ar": {
            "zero": "لا مواد",
            "one": "مادة واحدة",
            "two": "مادتان",
            "few": "{n} مواد",
            "many": "{n} مادة",
            "other": "{n} مادة",
        },
    },
}

_MONTHS_AR = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Endonyms for the language switcher, and names in the page language for notices.
ENDONYMS = {
    "en": "English", "ar": "العربية", "fr": "Français", "es": "Español", "de": "Deutsch",
    "ru": "Русский", "zh": "中文", "tr": "Türkçe", "fa": "فارسی", "ur": "اردو", "he": "עברית",
}  # fmt: skip
_NAMES_AR = {
    "en": "الإنجليزية", "ar": "العربية", "fr": "الفرنسية", "es": "الإسبانية", "de": "الألمانية",
    "ru": "الروسية", "zh": "الصينية", "tr": "التركية", "fa": "الفارسية", "ur": "الأردية",
}  # fmt: skip
_NAMES_EN = {
    "en": "English", "ar": "Arabic", "fr": "French", "es": "Spanish", "de": "German",
    "ru": "Russian", "zh": "Chinese", "tr": "Turkish", "fa": "Persian", "ur": "Urdu",
}  # fmt: skip
_OG_LOCALES = {"en": "en_GB", "ar": "ar_AR", "fr": "fr_FR", "es": "es_ES", "ru": "ru_RU"}

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def primary(language: str | None) -> str:
    """The primary subtag, lower-cased: ``"ar-EG"`` -> ``"ar"``."""
    return (language or "en").replace("_", "-").split("-")[0].lower()


def text_direction(language: str | None) -> str:
    """``"rtl"`` for right-to-left scripts, otherwise ``"ltr"``."""
    return "rtl" if primary(language) in RTL_LANGUAGES else "ltr"


def arabic_indic(text: object) -> str:
    """``text`` with ASCII digits replaced by Arabic-Indic digits (٠١٢٣...)."""
    return str(text).translate(_ARABIC_INDIC)


def og_locale(language: str) -> str:
    code = primary(language)
    return _OG_LOCALES.get(code, code)


def plural_category(n: int, language: str) -> str:
    """The CLDR plural category of ``n`` for English or Arabic."""
    if primary(language) != "ar":
        return "one" if n == 1 else "other"
    if n in (0, 1, 2):
        return ("zero", "one", "two")[n]
    rem = n % 100
    return "few" if 3 <= rem <= 10 else "many" if 11 <= rem <= 99 else "other"


class Translator:
    """Strings, numbers and dates for one page language (bound once per render)."""

    def __init__(self, language: str, *, arabic_digits: bool = False) -> None:
        self.language = primary(language)
        self._index = 1 if self.language == "ar" else 0
        self._digits = arabic_digits and self.language == "ar"

    def __call__(self, key: str, **kwargs: object) -> str:
        text = _STRINGS[key][self._index]
        return text.format(**kwargs) if kwargs else text

    def num(self, value: object) -> str:
        return arabic_indic(value) if self._digits else str(value)

    def plural(self, key: str, n: int) -> str:
        forms = _PLURALS[key].get(self.language, _PLURALS[key]["en"])
        form = forms.get(plural_category(n, self.language), forms["other"])
        return form.format(n=self.num(n))

    def plural_forms(self, key: str) -> dict[str, str]:
        """Every CLDR form of ``key`` (with ``{n}``), for scripts that count on the page."""
        return dict(_PLURALS[key].get(self.language, _PLURALS[key]["en"]))

    def label(self, prefix: str, name: str | None) -> str:
        """A known label such as ``section_world``, else ``name`` title-cased."""
        pair = _STRINGS.get(f"{prefix}_{name}")
        return pair[self._index] if pair else (name or "").replace("-", " ").title()

    def language_name(self, code: str) -> str:
        names = _NAMES_AR if self.language == "ar" else _NAMES_EN
        return names.get(primary(code), code)

    def date(self, value: datetime) -> str:
        """``"5 March 2025, 14:30 UTC"`` / ``"5 مارس 2025، 14:30 UTC"``."""
        when = value.astimezone(UTC) if value.tzinfo else value
        months, comma = (_MONTHS_AR, "،") if self.language == "ar" else (_MONTHS_EN, ",")
        text = f"{when.day} {months[when.month - 1]} {when.year}{comma} {when:%H:%M} UTC"
        return self.num(text)


def endonym(code: str) -> str:
    """A language's name in that language, for switchers."""
    return ENDONYMS.get(primary(code), code)
