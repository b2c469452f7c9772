# ruff: noqa: E501  (the sample texts are data)
"""yake_lite gives what the yake package gives: same keywords, same order, same scores.

The texts were written for this test: wire-style news in English and Arabic
(and one French), with what trips tokenisers up: abbreviations and initials,
acronyms, numbers, hyphens, quotes, contractions and possessives, brackets, a
URL and an e-mail address, a sentence that starts in lower case. Should a
yake release change its algorithm, this is the test that says so.
"""

from __future__ import annotations

import pytest
import yake
from segtok.segmenter import split_multi
from segtok.tokenizer import split_contractions, web_tokenizer

from wirestream.enrich.text import yake_dedup, yake_lite, yake_tokens
from wirestream.enrich.text.keywords import YAKE_LANGUAGES

ENGLISH = [
    "Russian President Vladimir Putin held a phone call with Chinese President Xi Jinping on Tuesday, the Kremlin said. "
    "The two leaders discussed energy supplies, the Power of Siberia 2 gas pipeline and grain exports. Putin's aide "
    'Yuri Ushakov said the talks were "warm and substantive" and that the pipeline contract was close to being signed. '
    "Beijing's readout said Xi called for deeper co-operation in energy, finance and technology, and the two sides "
    "agreed to meet at the SCO summit in Tianjin. The pipeline would carry 50 billion cubic metres of gas a year "
    "through Mongolia; talks on its price have dragged on since 2019.",
    "Negotiators from Qatar and Egypt returned to Doha on Monday in a fresh attempt to secure a ceasefire in Gaza, "
    "as Israeli air strikes continued in Rafah and Khan Younis. Aid agencies (including the U.N. World Food "
    "Programme) warned of famine in the north of the Gaza Strip, where 1.1 million people face 'catastrophic' "
    "hunger. Dr. Rick Peeperkorn of the WHO said hospitals had fuel for three days. The U.S. Secretary of State "
    'said a deal was "within reach", but Hamas and Israel blamed each other for the delays. Talks resume on '
    "Wednesday; a spokesman declined to comment. Details: https://example.org/gaza-talks or press@example.org.",
    "The International Monetary Fund cut its global growth forecast to 2.8 percent, citing higher tariffs between "
    "the United States and China, weaker demand in Europe and the risk that inflation stays above central bank "
    'targets. IMF chief economist Pierre-Olivier Gourinchas said trade tensions were "the main downside risk". '
    "Emerging markets, including India and Brazil, would grow faster than advanced economies, the fund said in "
    "its World Economic Outlook. and yet, growth forecasts for Germany were cut for a third time. Oil prices "
    "fell 2% after the report, while the dollar rose against the euro and the yen.",
    "Heavy rain caused flooding across southern Pakistan for a third day, killing at least 14 people, destroying "
    "thousands of homes and forcing authorities to close schools and the main highway to Karachi. The National "
    "Disaster Management Authority (NDMA) said more rain was expected until Friday. Floods in 2022 killed more "
    'than 1,700 people and caused damage estimated at $30bn. "We\'ve lost everything," said farmer Ali Hassan, '
    "standing beside his flooded rice fields in Sindh province. Rescue teams used boats to reach villages cut off "
    "by the floods; the army sent helicopters.",
]
ARABIC = [
    "أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جين بينغ، وبحث الجانبان إمدادات الطاقة "
    "وخط أنابيب الغاز قوة سيبيريا 2 وصادرات الحبوب. وقال مساعد الرئيس الروسي يوري أوشاكوف إن المحادثات كانت دافئة "
    "وإن عقد خط الأنابيب بات قريبا. وأضاف أن الرئيسين اتفقا على اللقاء في قمة منظمة شنغهاي للتعاون. وسينقل خط "
    "الأنابيب 50 مليار متر مكعب من الغاز سنويا عبر منغوليا، فيما تتواصل المفاوضات على السعر منذ عام 2019.",
    "عاد المفاوضون من قطر ومصر إلى الدوحة يوم الاثنين في محاولة جديدة للتوصل إلى وقف لإطلاق النار في قطاع غزة، "
    "بينما تواصلت الغارات الإسرائيلية على رفح وخان يونس. وحذرت وكالات الإغاثة من المجاعة في شمال قطاع غزة، حيث "
    "يواجه أكثر من مليون شخص جوعا كارثيا. وقالت منظمة الصحة العالمية إن المستشفيات لديها وقود يكفي ثلاثة أيام فقط. "
    "وقال مسؤول مطلع على المحادثات: الاتفاق بات قريبا؟ لا أحد يعرف. وتستأنف المحادثات يوم الأربعاء في الدوحة.",
    "تسببت الأمطار الغزيرة في فيضانات واسعة في جنوب باكستان لليوم الثالث على التوالي، ما أسفر عن مقتل أربعة عشر "
    "شخصا على الأقل وتدمير آلاف المنازل وإغلاق المدارس والطريق الرئيسي المؤدي إلى كراتشي. وقالت الهيئة الوطنية "
    "لإدارة الكوارث إن الأمطار ستستمر حتى الجمعة. وكانت فيضانات عام 2022 قد أودت بحياة أكثر من 1700 شخص. وقال "
    "المزارع علي حسن: خسرنا كل شيء. واستخدمت فرق الإنقاذ القوارب للوصول إلى القرى المعزولة بسبب الفيضانات.",
]
FRENCH = [
    "Le président français Emmanuel Macron et le chancelier allemand Friedrich Merz ont appelé mardi à une "
    "approche européenne commune des dépenses de défense, avant le sommet de l'OTAN à La Haye. « L'Europe doit "
    "prendre son destin en main », a déclaré M. Macron lors d'une conférence de presse à Paris. Les deux "
    "dirigeants ont évoqué l'aide à l'Ukraine, la production de munitions et le financement par l'UE.",
]
_ARABIC_PUNCTUATION = str.maketrans({"،": ",", "؛": ";", "؟": "?"})
CASES = [
    *[(text, "en", 3) for text in ENGLISH],
    *[(text.translate(_ARABIC_PUNCTUATION), "ar", 2) for text in ARABIC],
    *[(text, "fr", 3) for text in FRENCH],
]


def _reference(text: str, language: str, **options: float) -> list[tuple[str, float]]:
    extractor = yake.KeywordExtractor(lan=language, **options)  # type: ignore[arg-type]
    return [(k, float(s)) for k, s in extractor.extract_keywords(text)]


@pytest.mark.parametrize(("text", "language", "n"), CASES)
@pytest.mark.parametrize(("top", "dedup_lim"), [(24, 0.8), (20, 0.9), (10, 1.0)])
def test_same_keywords_order_and_scores_as_yake(
    text: str, language: str, n: int, top: int, dedup_lim: float
) -> None:
    for sample in (text[:500], text):
        expected = _reference(sample, language, n=n, top=top, dedup_lim=dedup_lim)
        got = yake_lite.extract(
            sample, yake_lite.stopwords(language), n=n, top=top, dedup_lim=dedup_lim
        )
        assert len(expected) >= min(top, 8)  # the texts give yake plenty to choose from
        assert [k for k, _ in got] == [k for k, _ in expected]
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9)


def test_stopwords_are_yakes() -> None:
    for language in YAKE_LANGUAGES | {"zz"}:  # "zz": yake's language-neutral list
        assert yake_lite.stopwords(language) == yake.KeywordExtractor(lan=language).stopword_set


def test_empty_or_stopword_only_text_gives_nothing() -> None:
    stop = yake_lite.stopwords("en")
    assert yake_lite.extract("", stop) == []
    assert yake_lite.extract("the of and. it is!", stop) == _reference("the of and. it is!", "en")
    assert yake_lite.extract("12 34, 56.", stop) == _reference("12 34, 56.", "en") == []


def test_dedup_similarity_is_yakes() -> None:
    extractor = yake.KeywordExtractor()
    grams = {
        " ".join(words[i : i + size]).lower()
        for text in ENGLISH + ARABIC + FRENCH
        for words in [text.replace(",", " ").replace(".", " ").split()]
        for size in (1, 2, 3)
        for i in range(len(words) - size + 1)
    }
    phrases = sorted(grams | {g + "s" for g in grams} | {g[:-1] for g in grams if len(g) > 1})
    compared = similar = scored = 0
    for i, a in enumerate(phrases):
        for b in phrases[i + 1 : i + 10]:  # sorted: neighbours share prefixes, so get compared
            expected = extractor.seqm(a, b)
            assert yake_dedup.seqm(a, b) == expected, (a, b)
            compared += 1
            scored += expected > 0
            similar += expected > 0.8
    assert compared > 10_000 and scored > 1_000 and similar > 50


TRICKY = [
    "Dr. Smith met Mr. Jones in the U.S. on Jan. 5. He said (see Fig. 3) it was fine. e.g. this one.",
    "Visit https://example.com/a?b=c or mail me@example.org, she said. It's 5:30 p.m. now... Really?! Yes.",
    "The well-known co-operation of 3,000.5 people; OK: fine, ok,, really;; :: x. A. B. Carter was there.",
    "Tom &amp; Jerry don't won't Putin's the boys' toys. ’Quoted’ “quotes” «guillemets». (Bracket. Inside.) [One. Two.]",
    "CO₂ emissions in km² rose by 5%. H₂O. Line\rbreak with hy-\r\nphen. 12 Jan. 2024 was cold. 3. March.",
    "والرئيس الروسي، قال: إن 5 آلاف شخص. ثم غادر؟ نعم! «اقتباس» ـ تطويل.",
    "no capital start here. and lowercase continues. with more. x",
    "1234567890" * 8
    + ". Then a sentence. "
    + "word " * 20
    + "i.e. after. "
    + "x " * 30
    + "Gen. Carter left.",
    "A sentence that is long enough to exceed the tail the abbreviation test looks at, by professor J. Then it ends.",
    "Another sentence long enough to exceed the tail that the abbreviation test looks at, said commander B. Then it ends.",
    "Separators\x1cinside\x1fwords, and\u2028a line separator. Capt. Ahab and Sgt. Pepper met St. Nick.",
]


@pytest.mark.parametrize("text", TRICKY + ENGLISH + ARABIC + FRENCH)
def test_sentences_and_tokens_are_segtoks(text: str) -> None:
    for variant in (text, " " + text, "\n\n" + text):
        expected = [
            list(split_contractions(web_tokenizer(s))) for s in split_multi(variant) if s.strip()
        ]
        got = [yake_tokens.web_tokens(s) for s in yake_tokens.split_multi(variant) if s.strip()]
        assert got == expected
