"""A kill closes an article for comments, and one that comes before the article is
remembered: a later publication of a covered version does not open it."""

from __future__ import annotations

from wirestream.comments.models import KnownArticle
from wirestream.common.events import ArticleEnriched, ArticleKilled, ArticlePublished, new_id
from wirestream.common.streams import ARTICLES_ENRICHED, ARTICLES_PUBLISHED
from wirestream.common.testing import eventually, make_article

from .conftest import Harness


async def _row(h: Harness, article_id: str) -> KnownArticle | None:
    async with h.runtime.sessions() as session:
        return await session.get(KnownArticle, article_id)


async def _kill(h: Harness, article_id: str, version: int = 1,
                covers: int | None = None) -> None:
    """Kill ``article_id`` at ``version`` and wait until the tombstone covers ``covers``."""
    await h.runtime.bus.publish(ARTICLES_ENRICHED, ArticleKilled(
        article_id=article_id, agency="testwire", uri=f"urn:test:{article_id}",
        version=version, reason="canceled"))

    async def remembered() -> bool:
        row = await _row(h, article_id)
        return row is not None and row.killed_version == (covers or version) and not row.open

    await eventually(remembered)


async def _publish(h: Harness, article_id: str, version: int) -> None:
    """Publish ``article_id``, then a marker article after it on the same stream: once
    the marker is known, the first event has been handled."""
    marker = f"mk{new_id()[:12]}"
    for aid, v in ((article_id, version), (marker, 1)):
        await h.runtime.bus.publish(ARTICLES_PUBLISHED, ArticlePublished(
            article_id=aid, version=v, language="en", headline="H", url=f"http://s/{aid}"))

    async def handled() -> bool:
        return await _row(h, marker) is not None

    await eventually(handled)


async def test_a_kill_before_the_article_keeps_it_closed(h: Harness) -> None:
    article = make_article()
    aid = article.article_id
    await _kill(h, aid, version=1)
    # Enrich's other events for the id are not ours; they change nothing.
    await h.runtime.bus.publish(ARTICLES_ENRICHED, ArticleEnriched(article=article,
                                                                   language="en"))
    await _publish(h, aid, version=1)

    row = await _row(h, aid)
    assert row is not None and not row.open and row.killed_version == 1
    r = await h.post(aid, "Is anyone there?")
    assert r.status_code == 404 and r.json()["type"].endswith("/article-not-open"), r.text


async def test_a_kill_closes_a_published_article(h: Harness) -> None:
    aid = await h.open_article()
    assert (await h.post(aid, "Before the kill.")).status_code == 201
    await _kill(h, aid, version=1)
    r = await h.post(aid, "After the kill.")
    assert r.status_code == 404, r.text
    await _publish(h, aid, version=1)  # a redelivered publication of the killed version
    assert (await h.post(aid, "Still dead?")).status_code == 404


async def test_a_kill_covers_the_version_we_had(h: Harness) -> None:
    aid = f"art{new_id()[:12]}"
    await _publish(h, aid, version=3)
    await _kill(h, aid, version=2, covers=3)  # the kill names an older version
    row = await _row(h, aid)
    assert row is not None and row.killed_version == 3 and not row.open
    await _publish(h, aid, version=3)
    assert (await h.post(aid, "Version three is dead.")).status_code == 404


async def test_only_a_higher_version_comes_back(h: Harness) -> None:
    aid = f"art{new_id()[:12]}"
    await _kill(h, aid, version=2)
    await _publish(h, aid, version=2)
    assert (await h.post(aid, "Not yet.")).status_code == 404
    await _publish(h, aid, version=3)  # ingest put a higher usable version live again
    assert (await h.post(aid, "Back again.")).status_code == 201
    # A late, older kill still closes what we have (enrich does the same: a kill
    # covers the version it finds), and the tombstone is never lowered.
    await _kill(h, aid, version=1, covers=3)
    assert (await h.post(aid, "Gone again.")).status_code == 404


async def test_one_batch_applies_publications_and_takedowns_in_stream_order(h: Harness) -> None:
    from datetime import UTC, datetime

    from wirestream.comments.articles import track_articles
    from wirestream.common.events import ArticleUnpublished

    a, b, c = (f"art{new_id()[:12]}" for _ in range(3))

    def published(aid: str, version: int) -> ArticlePublished:
        return ArticlePublished(article_id=aid, version=version, language="en",
                                headline="H", url=f"http://s/{aid}/{version}")

    def unpublished(aid: str) -> ArticleUnpublished:
        return ArticleUnpublished(article_id=aid, url=f"http://s/{aid}")

    async with h.runtime.transaction() as tx:
        await track_articles(tx, [published(a, 1), published(b, 1), unpublished(a),
                                  published(c, 1), unpublished(c), published(c, 2),
                                  published(b, 2)], now=datetime.now(UTC))
    rows = {aid: await _row(h, aid) for aid in (a, b, c)}
    assert not rows[a].open and rows[a].version == 1  # type: ignore[union-attr]
    assert rows[b].open and rows[b].version == 2  # type: ignore[union-attr]
    assert rows[b].url == f"http://s/{b}/2"  # type: ignore[union-attr]
    assert rows[c].open and rows[c].version == 2  # type: ignore[union-attr]
