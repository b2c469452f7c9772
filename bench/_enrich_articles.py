# ruff: noqa: E501  (the templates and word lists are data)
"""~600-word Arabic and English wire items for ``bench/enrich.py``, written for it.

Each item reports one event: a lead naming two people and a city from the
starter taxonomy (so tagging and cross-language stories work as in
production), then background prose drawn at random from a word list, so that
items about different events share no sentences. Items come in events of
``per_story`` (alternating Arabic and English), a minute apart; a tenth of
the words are made up, so per-token caches meet unseen vocabulary as they do
on a real wire.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from wirestream.common.events import Article
from wirestream.enrich.text.starter import load_starter_taxonomy

LEADS = {
    "en": [
        "{p1} held talks with {p2} in {city} on {day}, and the two discussed trade, energy supplies and regional security, officials said after the meeting.",
        "{p1} said after meeting {p2} in {city} that both sides had agreed to keep talking, while warning that serious differences remained over the ceasefire.",
        "Speaking in {city} on {day}, {p1} urged {p2} to back a new aid package, saying that delays were costing lives and hurting the economy.",
    ],
    "ar": [
        "أجرى {p1} محادثات مع {p2} في {city} يوم {day}، وبحث الجانبان التجارة وإمدادات الطاقة والأمن الإقليمي، وفق ما أعلن مسؤولون بعد اللقاء.",
        "قال {p1} بعد لقائه {p2} في {city} إن الطرفين اتفقا على مواصلة الحوار، محذرا من أن خلافات جدية لا تزال قائمة بشأن وقف إطلاق النار.",
        "دعا {p1} في تصريحات من {city} يوم {day} {p2} إلى دعم حزمة مساعدات جديدة، مؤكدا أن التأخير يكلف أرواحا ويضر بالاقتصاد.",
    ],
}
HEADLINES = {"en": "{p1} and {p2} meet in {city} as talks continue",
             "ar": "{p1} و{p2} يلتقيان في {city} مع استمرار المحادثات"}
DAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday"],
        "ar": ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]}
WORDS = {
    "en": """the government said on would after its officials statement minister plan budget
    economy prices inflation growth workers union strike talks agreement deal council vote
    parliament law court ruling judge police security forces army attack border region city
    village residents families schools hospital health doctors water electricity fuel shortage
    farmers harvest rain season weather storm flooding roads bridge project investment bank
    market shares company profits exports imports tariffs trade partners summit leaders
    meeting week month year since last early late new former senior local national international
    agency report data survey analysts expected rise fall percent million billion people
    children women young students university research scientists climate energy gas oil power
    plant reactor pipeline port ships cargo flights airport travel tourism hotels festival
    film music team match coach players season final cup league fans stadium record victory
    defeat election campaign party candidates voters poll results opposition protest crowd
    capital square streets march demands reforms corruption investigation charges trial prison
    release hostages prisoners exchange negotiations mediators ceasefire aid convoy trucks food
    medicine shelter camps displaced refugees return reconstruction homes damage losses
    insurance costs debt loans interest rates central policy decision committee members""".split(),
    "ar": """قالت الحكومة في بيان إن الوزير خطة الميزانية الاقتصاد الأسعار التضخم النمو العمال
    النقابة الإضراب المحادثات الاتفاق الصفقة المجلس التصويت البرلمان القانون المحكمة الحكم القاضي
    الشرطة قوات الأمن الجيش هجوم الحدود المنطقة المدينة القرية السكان الأسر المدارس المستشفى الصحة
    الأطباء المياه الكهرباء الوقود نقص المزارعين الحصاد الأمطار الموسم الطقس العاصفة الفيضانات الطرق
    الجسر المشروع الاستثمار البنك السوق الأسهم الشركة الأرباح الصادرات الواردات الرسوم التجارة
    الشركاء القمة القادة الاجتماع الأسبوع الشهر العام منذ الماضي الجديد السابق كبار المحلية الوطنية
    الدولية الوكالة التقرير البيانات المسح المحللون المتوقع ارتفاع انخفاض المئة مليون مليار الناس
    الأطفال النساء الشباب الطلاب الجامعة البحث العلماء المناخ الطاقة الغاز النفط محطة الميناء السفن
    الشحن الرحلات المطار السفر السياحة الفنادق المهرجان الفيلم الموسيقى الفريق المباراة المدرب اللاعبين
    النهائي الكأس الدوري المشجعين الملعب الرقم الفوز الهزيمة الانتخابات الحملة الحزب المرشحين الناخبين
    النتائج المعارضة الاحتجاج الحشود العاصمة الساحة الشوارع المسيرة المطالب الإصلاحات الفساد التحقيق
    التهم المحاكمة السجن الإفراج الرهائن الأسرى التبادل المفاوضات الوسطاء المساعدات القافلة الشاحنات
    الغذاء الدواء المأوى المخيمات النازحين اللاجئين العودة الإعمار المنازل الأضرار الخسائر التأمين
    التكاليف الديون القروض الفائدة المركزي السياسة القرار اللجنة الأعضاء""".split(),
}
LETTERS = {"en": "abcdefghijklmnopqrstuvwxyz", "ar": "بتثجحخدذرزسشصضطظعغفقكلمنهوي"}


def _names(rng: random.Random) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    concepts = [c for c in load_starter_taxonomy() if {"en", "ar"} <= set(c.labels)]
    people = [c.labels for c in concepts if c.kind == "person"]
    cities = [c.labels for c in concepts if c.id.startswith("place:") and c.id[6:].islower()]
    return people, cities


def _prose(rng: random.Random, lang: str, words: int) -> list[str]:
    out: list[str] = []
    sentence: list[str] = []
    while len(out) < words:
        w = rng.choice(WORDS[lang]) if rng.random() > 0.1 else "".join(
            rng.choice(LETTERS[lang]) for _ in range(rng.randint(4, 9)))
        sentence.append(w)
        if len(sentence) >= rng.randint(12, 22):
            out.extend([*sentence[:-1], sentence[-1] + "."])
            sentence = []
    return out


def make_articles(n: int, *, per_story: int = 6, seed: int = 7, prefix: str = "bench",
                  start: datetime = datetime(2025, 3, 4, tzinfo=UTC)) -> list[Article]:
    rng = random.Random(seed)
    people, cities = _names(rng)
    articles = []
    for i in range(n):
        event = random.Random(f"{seed}:{i // per_story}")
        p1, p2 = event.sample(people, 2)
        city, day = event.choice(cities), event.randrange(4)
        lang = "ar" if i % 2 == 0 else "en"
        slots = {"p1": p1[lang], "p2": p2[lang], "city": city[lang], "day": DAYS[lang][day]}
        lead = " ".join(t.format(**slots) for t in LEADS[lang])
        words = _prose(rng, lang, 600 - len(lead.split()))
        paragraphs = [lead] + [" ".join(words[j:j + 60]) for j in range(0, len(words), 60)]
        articles.append(Article(
            article_id=f"{prefix}{i}", agency=["rt", "xinhua", "afp", "aa"][i % 4],
            uri=f"urn:{prefix}:{i}", language=lang, headline=HEADLINES[lang].format(**slots),
            body_html="".join(f"<p>{p}</p>" for p in paragraphs),
            first_created=start + timedelta(minutes=i)))
    return articles
