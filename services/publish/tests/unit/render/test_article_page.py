"""The article page: language and direction, structured data, escaping, comments."""

from __future__ import annotations

import json

import lxml.html
from lxml.html import HtmlElement

from wirestream.publish.render import (
    ImageRef,
    MachineTranslation,
    StoryRef,
    TranslationLink,
)
from wirestream.publish.render.pages import STATIC_DIR

ATTACK = "</script><script>alert(1)</script>"


def parse(html: str) -> HtmlElement:
    return lxml.html.document_fromstring(html)


def jsonld(doc: HtmlElement) -> dict:
    (script,) = doc.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def test_arabic_article_is_rtl_with_arabic_labels(renderer, make_article, make_tag):
    tags = [
        make_tag(label="القاهرة", url="/ar/tags/cairo"),
        make_tag(kind="organisation", label="الأمم المتحدة"),
    ]
    view = make_article(
        language="ar", headline="ارتفاع الأسهم", tags=tags, section="world", is_updated=True
    )
    doc = parse(renderer.article(view))

    html = doc.xpath("/html")[0]
    assert html.get("lang") == "ar" and html.get("dir") == "rtl"
    assert doc.xpath('//nav[@class="tags"]//a/text()') == ["القاهرة", "الأمم المتحدة"]
    assert doc.xpath('//nav[@class="tags"]//a/@href')[0] == "/ar/tags/cairo"
    text = doc.text_content()
    assert "التعليقات" in text and "محدّث" in text and "مباشر" in text
    assert "المصادر: RT + Xinhua" in text
    assert "العالم" in doc.xpath('//nav[@class="sections"]')[0].text_content()


def test_arabic_pages_get_an_arabic_font_stack():
    css = (STATIC_DIR / "site.css").read_text()
    assert '"Noto Naskh Arabic", "Amiri", "Geeza Pro"' in css
    assert ":lang(ar)" in css


def test_english_article_is_ltr(renderer, make_article):
    doc = parse(renderer.article(make_article()))
    html = doc.xpath("/html")[0]
    assert html.get("lang") == "en" and html.get("dir") == "ltr"
    assert doc.xpath("//h1/text()") == ["Markets rally as talks resume"]
    assert doc.xpath('//meta[@name="viewport"]')


def test_explicit_dir_wins_over_language(renderer, make_article):
    doc = parse(renderer.article(make_article(language="xx", dir="rtl")))
    assert doc.xpath("/html/@dir") == ["rtl"]


def test_jsonld_is_a_news_article(renderer, make_article, make_tag):
    view = make_article(
        feature_image=ImageRef("/img/a.jpg", "Traders", "AFP"), tags=[make_tag(label="Cairo")]
    )
    data = jsonld(parse(renderer.article(view)))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == view.headline
    assert data["url"] == f"https://news.example{view.url}"
    assert data["image"] == ["https://news.example/img/a.jpg"]
    assert data["author"] == [{"@type": "Person", "name": "Jane Doe"}]
    assert data["keywords"] == ["Cairo"]
    assert data["datePublished"].endswith("+00:00")


def test_script_injection_is_escaped_everywhere(renderer, make_article, make_comment):
    view = make_article(
        headline=f"Bad {ATTACK}",
        byline=f"Eve {ATTACK}",
        summary=f'"><img src=x onerror=alert(2)> {ATTACK}',
        comments=[make_comment(author=f"Mallory {ATTACK}", body=f"hello {ATTACK}")],
        comment_count=1,
    )
    html = renderer.article(view)
    doc = parse(html)

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    # Only our own two scripts exist: the deferred site.js and the JSON-LD block.
    scripts = doc.xpath("//script")
    assert [(s.get("type"), s.get("src")) for s in scripts] == [
        ("application/ld+json", None),
        (None, "/static/site.js"),
    ]
    assert doc.xpath("//h1/text()") == [f"Bad {ATTACK}"]
    assert doc.xpath('//*[@class="comment-author"]/text()') == [f"Mallory {ATTACK}"]
    assert doc.xpath('//*[@class="comment-body"]/p/text()') == [f"hello {ATTACK}"]
    data = jsonld(doc)
    assert data["headline"] == f"Bad {ATTACK}"
    assert data["author"][0]["name"] == f"Eve {ATTACK}"


def test_trusted_body_html_is_kept(renderer, make_article):
    doc = parse(renderer.article(make_article(body_html="<p>One</p><blockquote>Two</blockquote>")))
    assert doc.xpath('//div[@class="body"]/blockquote/text()') == ["Two"]


def test_translations_alternates_switcher_and_machine_notice(renderer, make_article):
    view = make_article(
        translations=[
            TranslationLink("ar", "/ar/articles/x", True),
            ("fr", "/fr/articles/x", False),
        ],
        machine_translation=MachineTranslation("nllb-200", "ar"),
    )
    doc = parse(renderer.article(view))
    alternates = dict(
        (link.get("hreflang"), link.get("href"))
        for link in doc.xpath('//link[@rel="alternate"][@hreflang]')
    )
    assert alternates == {
        "en": f"https://news.example{view.url}",
        "ar": "https://news.example/ar/articles/x",
        "fr": "https://news.example/fr/articles/x",
    }
    switcher = doc.xpath('//nav[@class="lang-switch"]')[0]
    assert switcher.xpath(".//a/text()") == ["العربية", "Français"]
    assert switcher.xpath('.//a[@hreflang="ar"]/following-sibling::small')
    notice = doc.xpath('//*[contains(@class, "notice-mt")]')[0].text_content()
    assert "Machine translated from Arabic by nllb-200" in notice


def test_open_graph_and_feature_image(renderer, make_article):
    view = make_article(feature_image=ImageRef("/img/a.jpg", "Traders on the floor", "AFP"))
    doc = parse(renderer.article(view))
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert og["og:type"] == "article"
    assert og["og:title"] == view.headline
    assert og["og:image"] == "https://news.example/img/a.jpg"
    assert og["og:url"] == f"https://news.example{view.url}"
    assert "AFP" in doc.xpath("//figure/figcaption")[0].text_content()
    assert doc.xpath("//figure/img/@alt") == ["Traders on the floor"]


def test_updated_correction_story_and_related(renderer, make_article, now):
    view = make_article(
        is_updated=True,
        updated_at=now,
        correction_note="An earlier version misstated the index.",
        story=StoryRef("s1", "Trade talks", "/en/stories/s1", 4),
        related=[("Earlier: talks stall", "/en/articles/r1")],
        urgency=1,
    )
    doc = parse(renderer.article(view))
    text = doc.text_content()
    assert "Updated" in text and "5 March 2025, 14:30 UTC" in text
    correction = doc.xpath('//*[contains(@class, "notice-correction")]')[0].text_content()
    assert "Correction" in correction and "misstated the index" in correction
    story = doc.xpath('//*[@class="story-box"]')[0]
    assert story.xpath(".//a/@href") == ["/en/stories/s1"]
    assert "Trade talks" in story.text_content()
    # No item count here: it would go stale on older members' pages (see publish.stories).
    assert "4 items" not in story.text_content()
    assert doc.xpath('//section[@class="related"]//a/@href') == ["/en/articles/r1"]
    assert doc.xpath('//*[contains(@class, "badge-breaking")]/text()') == ["Breaking"]


def test_comments_block_threads_replies_and_posts_to_the_api(renderer, make_article, make_comment):
    parent = make_comment(body="First\n\nSecond paragraph")
    reply = make_comment(parent_id=parent.comment_id)
    orphan = make_comment(parent_id="not-shown")
    view = make_article(comments=[parent, orphan, reply], comment_count=3)
    doc = parse(renderer.article(view))

    items = doc.xpath('//section[@id="comments"]//li[@data-comment-id]')
    assert [li.get("data-comment-id") for li in items] == [
        parent.comment_id,
        reply.comment_id,
        orphan.comment_id,
    ]
    assert [li.get("data-depth") for li in items] == ["0", "1", "0"]
    assert items[0].xpath('.//*[@class="comment-body"]/p/text()') == ["First", "Second paragraph"]
    (form,) = doc.xpath('//form[@class="comment-form"]')
    assert form.get("action") == (
        f"https://comments.example/v1/articles/{view.article_id}/comments"
    )
    assert sorted(form.xpath(".//input/@name | .//textarea/@name")) == ["author", "body"]


def test_no_comment_form_without_an_api(renderer, make_article):
    doc = parse(renderer.article(make_article(comments_api="")))
    assert not doc.xpath("//form")
    assert doc.xpath('//section[@id="comments"]')


def test_poll_placeholder_and_live_ticker(renderer, make_article):
    view = make_article()
    doc = parse(renderer.article(view))
    assert doc.xpath('//section[@id="poll"]/@data-article-id') == [view.article_id]
    (ticker,) = doc.xpath('//aside[@id="ticker"]')
    assert ticker.get("data-sse") == "/live"
