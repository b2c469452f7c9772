# ruff: noqa: E501  (the items are data)
"""Wire items written for these tests, in the style of the agencies Wirestream takes."""

from __future__ import annotations

from typing import Any

from wirestream.common.events import Article, new_id

from .conftest import at

# RT Arabic: the Putin–Xi phone call. Names come with clitics (لبوتين) and Xi's
# name in a spelling the taxonomy has as an alias (شي جينبينغ).
RT_CALL = {
    "agency": "rt", "language": "ar",
    "headline": "بوتين وشي جينبينغ يبحثان هاتفيا العلاقات الثنائية والأزمة في أوكرانيا",
    "body_html": (
        "<p>أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جينبينغ، "
        "بحث خلاله الجانبان العلاقات بين روسيا والصين والأوضاع في أوكرانيا.</p>"
        "<p>وقال الكرملين في بيان إن الرئيسين اتفقا على مواصلة التنسيق بين موسكو وبكين "
        "في مجلس الأمن الدولي، وعلى تبادل الزيارات خلال العام الجاري.</p>"
        "<p>وأضاف البيان أن لبوتين وشي موقفا مشتركا من ضرورة الحل السياسي للأزمة الأوكرانية.</p>"),
}
# Xinhua English: the same call, an hour later.
XINHUA_CALL = {
    "agency": "xinhua", "language": "en",
    "headline": "Xi, Putin discuss bilateral ties and Ukraine in phone call",
    "body_html": (
        "<p>BEIJING -- Chinese President Xi Jinping spoke with Russian President Vladimir Putin "
        "by phone on Tuesday, and the two leaders discussed relations between China and Russia "
        "and the situation in Ukraine.</p><p>Xi said Beijing and Moscow should keep close "
        "coordination at the UN Security Council, the Kremlin and <b>Chinese state media</b> said.</p>"),
}
# Unrelated English item: no person, no country.
FLOODS = {
    "agency": "afp", "language": "en",
    "headline": "Heavy rain floods streets of the port city, schools closed",
    "body_html": (
        "<p>Heavy rain flooded streets in the port city overnight, forcing the closure of schools "
        "and the main highway. Civil defence teams evacuated dozens of families from low-lying "
        "districts.</p><p>The weather service warned of more storms through Thursday.</p>"),
}
# Unrelated Arabic item: "حلبة" (a race track) must not be read as حلب (Aleppo).
RACE_TRACK = {
    "agency": "rt", "language": "ar",
    "headline": "افتتاح حلبة جديدة لسباقات السيارات",
    "body_html": (
        "<p>افتتحت حلبة جديدة لسباقات السيارات في المدينة الساحلية بحضور آلاف المشجعين، وقال "
        "المنظمون إن الحلبة ستستضيف سباقات محلية ودولية خلال الموسم المقبل.</p>"),
}
# English item on a different Putin meeting: shares an actor, not the event.
PUTIN_ERDOGAN = {
    "agency": "aa", "language": "en",
    "headline": "Putin and Erdogan meet in Sochi to discuss Syria and grain exports",
    "body_html": (
        "<p>Russian President Vladimir Putin hosted Turkish President Recep Tayyip Erdogan in "
        "Sochi on Tuesday for talks on Syria, the Black Sea grain corridor and gas supplies to "
        "Turkey.</p><p>Erdogan said NATO member Turkey would keep its channels with Moscow open.</p>"),
}


def article(item: dict[str, Any], minutes: float = 0, **overrides: Any) -> Article:
    uid = new_id()[:12]
    fields = {"article_id": f"{item['agency']}{uid}", "uri": f"urn:{item['agency']}:{uid}",
              "first_created": at(minutes), **item, **overrides}
    return Article(**fields)
