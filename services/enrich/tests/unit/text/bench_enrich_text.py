# ruff: noqa: E501  (the sample paragraphs are data)
"""Throughput of the pure enrich text step, one core (not collected by pytest).

    .venv/bin/python services/enrich/tests/unit/text/bench_enrich_text.py [N]

Builds N ~600-word articles (half Arabic, half English) from paragraphs
written for this script, salted with made-up words so the per-token caches see
unseen vocabulary as real news does, then times language detection, taxonomy
matching, keywords and story assignment. Target: 50 articles/s.

Times are CPU time of this process (``time.process_time``) so that other
work on a shared machine does not distort them; wall time is printed too.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from wirestream.common.events import Article
from wirestream.enrich.text.keywords import extract_keywords
from wirestream.enrich.text.pipeline import TextEnricher, html_to_text
from wirestream.enrich.text.starter import load_starter_taxonomy
from wirestream.enrich.text.stories import StoryClusterer

EN = [
    "Russian President Vladimir Putin held a telephone conversation with Chinese President Xi Jinping on Tuesday, the Kremlin said, and the two leaders discussed energy cooperation, the situation in Ukraine and preparations for the BRICS summit.",
    "Negotiators from Qatar and Egypt returned to Doha on Monday in a fresh attempt to secure a ceasefire in Gaza, as Israeli airstrikes continued in Rafah and Khan Younis and aid agencies warned of famine.",
    "The International Monetary Fund cut its global growth forecast, citing higher tariffs between the United States and China, weaker demand in Europe and the risk that inflation would stay above central bank targets.",
    "Oil prices rose more than two percent after OPEC+ agreed to extend output cuts into the next quarter, with Saudi Arabia and Russia saying the market remained fragile despite rising inventories.",
    "Heavy rain caused flooding across southern Pakistan for a third day, killing at least 14 people, destroying thousands of homes and forcing authorities to close schools and the main highway to Karachi.",
    "The UN Security Council met in emergency session in New York after a missile strike on a market, with several members calling for an independent investigation and for humanitarian access to be restored.",
    "Germany's chancellor Friedrich Merz and French President Emmanuel Macron called for a common European approach to defence spending ahead of the NATO summit, saying the alliance must adapt to new threats.",
    "Football fans crowded into the stadium as the national team opened its World Cup qualifying campaign with a narrow win, the coach praising the young striker who scored twice in the second half.",
    "Scientists said the new satellite would measure greenhouse gas emissions from individual power plants, giving regulators and investors a clearer picture of progress on climate commitments.",
    "The World Health Organization said a cholera outbreak in Sudan had spread to five more states, with hospitals in Khartoum and Darfur short of medicine, clean water and staff after months of fighting.",
    "Shares of Nvidia and Microsoft led technology stocks higher on Wall Street after strong quarterly results eased concerns about spending on artificial intelligence, while bond yields edged lower.",
    "Turkish President Recep Tayyip Erdogan met Syrian leader Ahmed al-Sharaa in Ankara to discuss border security, the return of refugees and reconstruction projects in Aleppo and Idlib.",
]
AR = [
    "أجرى الرئيس الروسي فلاديمير بوتين اتصالا هاتفيا مع نظيره الصيني شي جين بينغ، وبحث الجانبان التعاون في مجال الطاقة والأوضاع في أوكرانيا والتحضيرات لقمة مجموعة بريكس، وفق ما أعلن الكرملين.",
    "عاد المفاوضون من قطر ومصر إلى الدوحة يوم الاثنين في محاولة جديدة للتوصل إلى وقف لإطلاق النار في قطاع غزة، بينما تواصلت الغارات الإسرائيلية على رفح وخان يونس وحذرت وكالات الإغاثة من المجاعة.",
    "خفض صندوق النقد الدولي توقعاته للنمو العالمي، مشيرا إلى ارتفاع الرسوم الجمركية بين الولايات المتحدة والصين وضعف الطلب في أوروبا وخطر بقاء التضخم فوق أهداف البنوك المركزية.",
    "ارتفعت أسعار النفط بأكثر من اثنين في المئة بعد أن اتفق تحالف أوبك بلس على تمديد خفض الإنتاج، وقالت السعودية وروسيا إن السوق لا تزال هشة رغم ارتفاع المخزونات.",
    "تسببت الأمطار الغزيرة في فيضانات واسعة في جنوب باكستان لليوم الثالث على التوالي، ما أسفر عن مقتل أربعة عشر شخصا على الأقل وتدمير آلاف المنازل وإغلاق المدارس والطريق الرئيسي.",
    "عقد مجلس الأمن الدولي جلسة طارئة في نيويورك بعد ضربة صاروخية استهدفت سوقا شعبيا، ودعا عدد من الأعضاء إلى تحقيق مستقل وإلى استعادة وصول المساعدات الإنسانية.",
    "دعا المستشار الألماني فريدريش ميرتس والرئيس الفرنسي إيمانويل ماكرون إلى نهج أوروبي مشترك في الإنفاق الدفاعي قبيل قمة حلف الناتو، مؤكدين أن الحلف يجب أن يتكيف مع التهديدات الجديدة.",
    "احتشد المشجعون في الملعب مع افتتاح المنتخب الوطني مشواره في تصفيات كأس العالم بفوز صعب، وأشاد المدرب بالمهاجم الشاب الذي سجل هدفين في الشوط الثاني من المباراة.",
    "قال العلماء إن القمر الصناعي الجديد سيقيس انبعاثات الغازات الدفيئة من محطات الكهرباء بشكل منفرد، ما يمنح الجهات الرقابية والمستثمرين صورة أوضح عن التزامات المناخ.",
    "أعلنت منظمة الصحة العالمية أن وباء الكوليرا في السودان امتد إلى خمس ولايات أخرى، وأن المستشفيات في الخرطوم ودارفور تعاني نقصا في الأدوية والمياه النظيفة والكوادر بعد أشهر من القتال.",
    "قاد سهما إنفيديا ومايكروسوفت أسهم التكنولوجيا إلى الارتفاع في وول ستريت بعد نتائج فصلية قوية بددت المخاوف بشأن الإنفاق على الذكاء الاصطناعي، فيما تراجعت عوائد السندات.",
    "التقى الرئيس التركي رجب طيب أردوغان بالرئيس السوري أحمد الشرع في أنقرة لبحث أمن الحدود وعودة اللاجئين ومشاريع إعادة الإعمار في حلب وإدلب.",
]


def _made_up(rng: random.Random, arabic: bool) -> str:
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي" if arabic else "abcdefghijklmnopqrstuvwxyz"
    return "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))


def make_articles(n: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2025, 3, 4, tzinfo=UTC)
    articles = []
    for i in range(n):
        arabic = i % 2 == 0
        pool = AR if arabic else EN
        words: list[str] = []
        while len(words) < 600:
            for word in rng.choice(pool).split():
                words.append(word)
                if rng.random() < 0.08:
                    words.append(_made_up(rng, arabic))
        paragraphs = [" ".join(words[j : j + 60]) for j in range(0, len(words), 60)]
        articles.append(
            Article(
                article_id=f"bench-{i}",
                agency="bench",
                uri=f"urn:bench:{i}",
                language="ar" if arabic else "en",
                headline=" ".join(words[:10]),
                body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                first_created=start + timedelta(minutes=3 * i),
            )
        )
    return articles


clock = time.process_time


def main(n: int) -> None:
    wall = time.perf_counter()
    t = clock()
    enricher = TextEnricher.from_concepts(load_starter_taxonomy())
    print(f"setup (taxonomy + index + lingua): {clock() - t:.2f}s")
    articles = make_articles(n)
    stories = StoryClusterer()
    stage = dict.fromkeys(["html", "language", "match", "keywords", "stories"], 0.0)
    total = clock()
    for a in articles:
        t0 = clock()
        body = html_to_text(a.body_html)
        t1 = clock()
        language = enricher.detector.detect(a.headline, body, a.language)
        t2 = clock()
        mentions = enricher.matcher.find(body, language, headline=a.headline)
        tags = enricher.matcher.to_tags(mentions)
        t3 = clock()
        covered = {s for m in mentions for s in m.surfaces}
        extract_keywords(f"{a.headline}.\n{body}", language, 8, exclude=covered)
        t4 = clock()
        assert a.first_created is not None
        stories.assign(a.article_id, body, {t.id for t in tags}, a.first_created)
        t5 = clock()
        for key, dt in zip(stage, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            stage[key] += dt
    elapsed = clock() - total
    print(f"{n} articles in {elapsed:.2f}s CPU: {n / elapsed:.1f} articles/s")
    print(f"  (wall time so far {time.perf_counter() - wall:.2f}s, setup included)")
    for key, dt in stage.items():
        print(f"  {key:9s} {1000 * dt / n:6.2f} ms/article")
    one = clock()
    for a in articles[: min(n, 100)]:
        enricher.enrich(a)
    per = (clock() - one) / min(n, 100)
    print(f"TextEnricher.enrich alone: {1 / per:.1f} articles/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
