"""Front, section, tag, story and gone pages."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
from lxml.html import HtmlElement

from wirestream.publish.render import Renderer, SiteConfig, StoryRef


def parse(html: str) -> HtmlElement:
    return lxml.html.document_fromstring(html)


def headlines(doc: HtmlElement) -> list[str]:
    return doc.xpath('//ol[contains(@class, "items")]//h3/a/text()')


def test_home_has_top_stories_and_a_live_latest_list(renderer, make_item):
    top = [make_item(headline="Top one"), make_item(headline="Top two")]
    latest = [make_item(headline="Newest"), make_item(headline="Older")]
    doc = parse(renderer.home(latest, top, "en"))

    assert doc.xpath('//section[@class="top-stories"]//h3/a/text()') == ["Top one", "Top two"]
    assert doc.xpath('//section[@class="top-stories"]//article[1]/@class') == ["card card-hero"]
    (latest_list,) = doc.xpath('//ol[@id="latest"]')
    assert latest_list.xpath(".//h3/a/text()") == ["Newest", "Older"]
    assert latest_list.xpath("./li/@data-article-id") == [i.article_id for i in latest]
    assert doc.xpath('//aside[@id="ticker"]/@data-sse') == ["/live"]
    assert doc.xpath("//header//a[@class='brand']/text()") == ["Wirestream"]
    assert doc.xpath("//footer")


def test_arabic_home_is_rtl_with_arabic_navigation(renderer, make_item):
    doc = parse(renderer.home([make_item(language="ar", headline="خبر")], [], "ar"))
    assert doc.xpath("/html/@lang") == ["ar"] and doc.xpath("/html/@dir") == ["rtl"]
    nav = doc.xpath('//nav[@class="sections"]//a/text()')
    assert nav[:3] == ["الرئيسية", "العالم", "سياسة"]
    assert doc.xpath('//nav[@class="sections"]//a/@href')[1] == "/ar/section/world"
    assert "آخر الأخبار" in doc.text_content()
    assert "لا توجد مواد بعد." in doc.text_content()  # no top stories yet


def test_list_items_show_story_updated_and_breaking(renderer, make_item):
    item = make_item(is_updated=True, urgency=2, story=StoryRef("s", "Talks", "/en/stories/s", 5))
    doc = parse(renderer.section("business", [item], "en"))
    card = doc.xpath("//article[@data-article-id]")[0]
    text = card.text_content()
    assert "Updated" in text and "Breaking" in text
    assert card.xpath('.//a[@class="story-link"]/text()') == ["Story · 5 items"]


def test_section_page_uses_the_localised_section_name(renderer, make_item):
    doc = parse(renderer.section("sport", [make_item(language="ar")], "ar"))
    assert doc.xpath("//h1/text()") == ["رياضة"]
    assert doc.xpath('//link[@rel="canonical"]/@href') == ["https://news.example/ar/section/sport"]
    unknown = parse(renderer.section("space-weather", [], "en"))
    assert unknown.xpath("//h1/text()") == ["Space Weather"]


def test_tag_page(renderer, make_item, make_tag):
    tag = make_tag(kind="person", label="أنطونيو غوتيريش", url="/ar/tags/q1")
    items = [make_item(language="ar"), make_item(language="ar")]
    doc = parse(renderer.tag(tag, items, "ar"))
    assert doc.xpath("//h1/text()") == ["أنطونيو غوتيريش"]
    assert doc.xpath('//p[@class="kicker"]/text()') == ["شخصية"]
    assert len(headlines(doc)) == 2


def test_story_page_counts_items_and_orders_them_in_time(renderer, make_item, now):
    newest = make_item(headline="Third", published_at=now)
    oldest = make_item(headline="First", published_at=now - timedelta(hours=5))
    middle = make_item(headline="Second", published_at=now - timedelta(hours=1))
    doc = parse(renderer.story("Trade talks", [newest, oldest, middle], ["RT", "Xinhua"], "en"))

    assert doc.xpath("//h1/text()") == ["Trade talks"]
    assert doc.xpath('//p[@class="kicker"]/text()') == ["Story · 3 items"]
    assert headlines(doc) == ["First", "Second", "Third"]
    assert doc.xpath('//ol[contains(@class, "timeline")]')
    assert "Sources: RT + Xinhua" in doc.text_content()


def test_arabic_story_page(renderer, make_item, now):
    items = [make_item(language="ar", published_at=now - timedelta(minutes=m)) for m in (1, 2, 3)]
    doc = parse(renderer.story("محادثات التجارة", items, ["RT"], "ar"))
    assert doc.xpath('//p[@class="kicker"]/text()') == ["قصة · 3 مواد"]
    assert doc.xpath("/html/@dir") == ["rtl"]
    one = parse(renderer.story("خبر", items[:1], [], "ar"))
    assert one.xpath('//p[@class="kicker"]/text()') == ["قصة · مادة واحدة"]


def test_arabic_indic_digits_are_optional(make_item, now):
    site = SiteConfig("Wirestream", "https://news.example", "ar", arabic_indic_digits=True)
    items = [make_item(language="ar", published_at=now - timedelta(minutes=m)) for m in range(12)]
    doc = parse(Renderer(site).story("قصة", items, [], "ar"))
    assert doc.xpath('//p[@class="kicker"]/text()') == ["قصة · ١٢ مادة"]
    assert "١٤:٣٠" in doc.xpath("//time")[-1].text


def test_gone_page(renderer):
    doc = parse(renderer.gone("en"))
    assert doc.xpath("//h1/text()") == ["This article is no longer available"]
    assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert doc.xpath('//a[@class="button"]/@href') == ["/en/"]
    arabic = parse(renderer.gone("ar"))
    assert arabic.xpath("/html/@dir") == ["rtl"]
    assert arabic.xpath("//h1/text()") == ["لم تعد هذه المادة متاحة"]


def test_renderer_instances_are_independent():
    a = Renderer(SiteConfig("Alpha", "https://a.example"))
    b = Renderer(SiteConfig("Beta", "https://b.example"))
    assert "<title>Alpha</title>" in a.home([], [], "en")
    assert "<title>Beta</title>" in b.home([], [], "en")
