"""A kill that overtakes its item: the item never goes live, until a higher usable version."""

from __future__ import annotations

import json

from wirestream.common.envelope import unpack_envelope
from wirestream.common.events import ArticleKilled, new_id
from wirestream.common.streams import ARTICLES_PUBLISHED

from .conftest import PUTIN, Publish, enriched, translated, updated

LISTS = ("/", "/en/", "/en/section/world", "/en/tags/person:vladimir-putin", "/en/feed.atom",
         "/en/feed.json", "/en/section/world/feed.rss", "/sitemap-news.xml")


async def published_ids(publish: Publish) -> list[tuple[str, str]]:
    entries = await publish.runtime.bus.redis.xrange(ARTICLES_PUBLISHED)
    events = [json.loads(unpack_envelope(f[b"__data__"])[0]) for _, f in entries]
    return [(e["event_type"], e["article_id"]) for e in events]


async def test_an_item_arriving_after_its_kill_answers_410_and_is_never_listed(
        publish: Publish) -> None:
    doomed = enriched(tags=(PUTIN,), headline="Killed before it came")
    a = doomed.article
    await publish.publish(ArticleKilled(article_id=a.article_id, agency=a.agency, uri=a.uri,
                                        version=2, reason="canceled"))
    await publish.settle()
    assert (await publish.get(f"/api/articles/{a.article_id}")).status_code == 410
    marker = enriched(tags=(PUTIN,), headline="Marker item")
    # The item, its killed version again, its translation, then something to wait for.
    await publish.publish(doomed, updated(doomed, headline="Killed before it came, v2"),
                          translated(doomed, language="ar", headline="قتل قبل أن يصل"), marker)
    await publish.settle()
    assert (await publish.get(f"/en/articles/{marker.article.article_id}")).status_code == 200
    gone = await publish.get(f"/en/articles/{a.article_id}")
    assert gone.status_code == 410 and "Killed before it came" not in gone.text
    assert (await publish.get(f"/api/articles/{a.article_id}")).status_code == 410
    assert (await publish.get(f"/ar/articles/{a.article_id}-ar")).status_code == 404
    for path in LISTS:
        text = (await publish.get(path)).text
        assert "Marker item" in text, path
        assert "Killed before it came" not in text and a.article_id not in text, path
    assert [e for e in await published_ids(publish) if a.article_id in e[1]] == []

    # The agency puts it back after the kill with a higher, usable version.
    back = updated(updated(doomed), headline="Reinstated item")
    await publish.publish(back)
    await publish.page(f"/en/articles/{a.article_id}")
    await publish.settle()
    assert (await publish.get(f"/api/articles/{a.article_id}")).json()["version"] == 3
    for path in LISTS:
        assert "Reinstated item" in (await publish.get(path)).text, path
    assert ("article.published", a.article_id) in await published_ids(publish)


async def test_a_killed_article_and_its_translation_come_back_only_with_a_higher_version(
        publish: Publish) -> None:
    item = enriched(headline="Killed after it went live")
    ar = translated(item, language="ar", headline="قتل بعد نشره")
    a, t = item.article, ar.article
    await publish.publish(item, ar)
    await publish.page(f"/ar/articles/{t.article_id}")
    await publish.publish(ArticleKilled(article_id=a.article_id, agency=a.agency, uri=a.uri,
                                        version=2))
    await publish.page(f"/ar/articles/{t.article_id}", status=410)
    # A late copy of the killed version changes nothing.
    await publish.publish(updated(item, headline="Killed version, late"))
    await publish.settle()
    assert (await publish.get(f"/en/articles/{a.article_id}")).status_code == 410
    assert "Killed version, late" not in (await publish.get("/en/")).text

    v3 = updated(updated(item), headline="Back with version three")
    ar3 = ar.model_copy(update={"event_id": new_id(), "article": t.model_copy(update={
        "version": 3, "headline": "عاد بالنسخة الثالثة"})})
    await publish.publish(v3, ar3)
    await publish.page(f"/en/articles/{a.article_id}")
    back = await publish.page(f"/ar/articles/{t.article_id}")
    assert "عاد بالنسخة الثالثة" in back.text
    await publish.settle()
    assert "Back with version three" in (await publish.get("/en/")).text
