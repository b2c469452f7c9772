"""Tags, stories and related articles, end to end through the bus and the database."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa

from wirestream.common.events import ArticleIngested, ArticleKilled, ArticleUpdated
from wirestream.enrich.models import StoryMember

from .items import FLOODS, PUTIN_ERDOGAN, RACE_TRACK, RT_CALL, XINHUA_CALL, article

CALL_ENTITIES = {"person:vladimir-putin", "person:xi-jinping", "place:RU", "place:CN",
                 "place:UA"}


def enriched(events: list[dict[str, Any]], article_id: str) -> list[dict[str, Any]]:
    return [e for e in events
            if e["event_type"] == "article.enriched" and e["article"]["article_id"] == article_id]


def tag_ids(event: dict[str, Any]) -> set[str]:
    return {t["id"] for t in event["tags"]}


async def test_tags_through_clitics_and_spellings_and_none_from_unrelated_items(enrich) -> None:  # type: ignore[no-untyped-def]
    rt, xh = article(RT_CALL), article(XINHUA_CALL, 60)
    floods, track = article(FLOODS, 5), article(RACE_TRACK, 10)
    async with enrich() as e:
        await e.publish(*(ArticleIngested(article=a) for a in (rt, xh, floods, track)))
        events = await e.wait_for(lambda ev: len(
            [x for x in ev if x["event_type"] == "article.enriched"]) == 4 and ev)
    rt_event, xh_event = enriched(events, rt.article_id)[0], enriched(events, xh.article_id)[0]
    assert rt_event["language"] == "ar" and xh_event["language"] == "en"
    # "لبوتين", "والصين", "شي جينبينغ": clitics and a spelling variant still find the names.
    assert CALL_ENTITIES <= tag_ids(rt_event)
    assert CALL_ENTITIES <= tag_ids(xh_event)
    assert {"org:kremlin", "place:moscow", "place:beijing"} <= tag_ids(rt_event)
    # Labels come in every language the concept has, whatever the article's language.
    putin = next(t for t in rt_event["tags"] if t["id"] == "person:vladimir-putin")
    assert putin["labels"]["en"] == "Vladimir Putin" and putin["labels"]["ar"]
    for unrelated in (floods, track):
        tags = tag_ids(enriched(events, unrelated.article_id)[0])
        assert not {t for t in tags if t.startswith(("person:", "org:", "place:"))}, tags
    assert "place:aleppo" not in tag_ids(enriched(events, track.article_id)[0])


async def test_same_call_from_two_agencies_forms_one_story_and_is_announced(enrich) -> None:  # type: ignore[no-untyped-def]
    rt, xh = article(RT_CALL), article(XINHUA_CALL, 60)
    other = article(PUTIN_ERDOGAN, 90)
    floods = article(FLOODS, 30)
    async with enrich() as e:
        await e.publish(ArticleIngested(article=rt), ArticleIngested(article=floods))
        await e.wait_for(lambda ev: len(ev) >= 2)
        await e.publish(ArticleIngested(article=xh), ArticleIngested(article=other))
        events = await e.wait_for(
            lambda ev: [x for x in ev if x["event_type"] == "story.changed"]
            and len(enriched(ev, other.article_id)) == 1 and ev)
        await asyncio.sleep(0.3)
        events = await e.emitted()
        async with e.http() as client:
            related = (await client.get(f"/v1/articles/{xh.article_id}/related")).json()
            missing = await client.get("/v1/articles/nope/related")
    rt_event, xh_event = enriched(events, rt.article_id)[0], enriched(events, xh.article_id)[0]
    story = rt_event["story_id"]
    assert story and xh_event["story_id"] == story
    # Not formed: a flood, and another Putin meeting (one shared actor is not the same event).
    assert enriched(events, floods.article_id)[0]["story_id"] != story
    assert enriched(events, other.article_id)[0]["story_id"] not in (story, None)
    changes = [x for x in events if x["event_type"] == "story.changed"]
    assert len(changes) == 1, changes  # single-item stories are not announced
    change = changes[0]
    assert change["story_id"] == story
    assert change["article_ids"] == [rt.article_id, xh.article_id]  # oldest first
    assert change["title"] == RT_CALL["headline"]
    assert change["sources"] == ["rt", "xinhua"] and change["languages"] == ["ar", "en"]
    assert change["updated_article_id"] == xh.article_id
    # The StoryChanged follows the ArticleEnriched that caused it.
    order = [x.get("article", {}).get("article_id") or x["event_type"] for x in events]
    assert order.index(xh.article_id) < order.index("story.changed")
    assert xh_event["related"][0] == rt.article_id
    assert related == {"article_id": xh.article_id, "story_id": story,
                       "related": xh_event["related"]}
    assert missing.status_code == 404


async def test_kill_takes_the_article_out_of_its_story(enrich) -> None:  # type: ignore[no-untyped-def]
    rt, xh = article(RT_CALL), article(XINHUA_CALL, 60)
    async with enrich() as e:
        await e.publish(ArticleIngested(article=rt), ArticleIngested(article=xh))
        await e.wait_for(lambda ev: [x for x in ev if x["event_type"] == "story.changed"])
        await e.publish(ArticleKilled(article_id=rt.article_id, agency="rt", uri=rt.uri,
                                      version=1, reason="withdrawn"))
        events = await e.wait_for(
            lambda ev: len([x for x in ev if x["event_type"] == "story.changed"]) == 2 and ev)
        async with e.http() as client:
            gone = await client.get(f"/v1/articles/{rt.article_id}/related")
            left = (await client.get(f"/v1/articles/{xh.article_id}/related")).json()
        async with e.runtime.sessions() as session:
            member = await session.get(StoryMember, rt.article_id)
    kills = [x for x in events if x["event_type"] == "article.killed"]
    assert [k["article_id"] for k in kills] == [rt.article_id]
    last = [x for x in events if x["event_type"] == "story.changed"][-1]
    assert last["article_ids"] == [xh.article_id]  # below two items: downstream drops it
    assert last["updated_article_id"] == rt.article_id
    assert gone.status_code == 404 and rt.article_id not in left["related"]
    assert member is not None and member.removed


async def test_redelivered_and_resent_events_produce_nothing_twice(enrich) -> None:  # type: ignore[no-untyped-def]
    rt, xh = article(RT_CALL), article(XINHUA_CALL, 60)
    first, second = ArticleIngested(article=rt), ArticleIngested(article=xh)
    async with enrich() as e:
        await e.publish(first, second)
        await e.wait_for(lambda ev: [x for x in ev if x["event_type"] == "story.changed"])
        # The same entries again (a producer retry), and the same version under a new event id.
        await e.publish(first, second, ArticleIngested(article=xh))
        update = ArticleUpdated(article=rt.model_copy(update={"version": 2}), previous_version=1)
        await e.publish(update)
        events = await e.wait_for(lambda ev: len(enriched(ev, rt.article_id)) == 2 and ev)
        await asyncio.sleep(0.5)
        events = await e.emitted()
        async with e.runtime.sessions() as session:
            members = (await session.scalars(sa.select(StoryMember))).all()
    assert len(enriched(events, xh.article_id)) == 1
    v2 = enriched(events, rt.article_id)[1]
    assert v2["article"]["version"] == 2 and v2["is_update"]
    assert v2["story_id"] == enriched(events, rt.article_id)[0]["story_id"]  # keeps its story
    assert sorted(m.article_id for m in members) == sorted([rt.article_id, xh.article_id])
    changes = [x for x in events if x["event_type"] == "story.changed"]
    assert len(changes) == 1 and changes[0]["article_ids"] == [rt.article_id, xh.article_id]
    assert len({x["event_id"] for x in events}) == len(events)
