"""Webhook deliveries end to end: enriched article -> publish -> push -> a real HTTP receiver."""

from __future__ import annotations

import json
import time

from standardwebhooks.webhooks import Webhook

from wirestream.common.events import (
    ArticlePublished,
    CommentModerated,
    CommentPosted,
    StoryChanged,
)
from wirestream.common.streams import ARTICLES_PUBLISHED, COMMENTS
from wirestream.common.testing import eventually
from wirestream.publish.push.models import ArticleFacets

from .conftest import ADMIN, SITE, PushApp, PushFactory


async def test_deliveries_are_signed_standard_webhooks(push: PushApp) -> None:
    sub = await push.subscribe("/hook")
    event = await push.article(tags=("medtop:04000000",), urgency=3, section="business",
                               story_id="st1")
    [req] = await push.receiver.wait("/hook")
    Webhook(sub["secret"]).verify(req.body, req.headers)
    body = json.loads(req.body)
    a = event.article
    assert body["type"] == "article.published"
    assert body["data"]["event_id"]  # the ArticlePublished publish emitted
    fields = ("article_id", "headline", "language", "urgency", "section", "story_id", "tags",
              "iptc")
    assert {k: body["data"][k] for k in fields} == {
        "article_id": a.article_id, "headline": a.headline, "language": "en", "urgency": 3,
        "section": "business", "story_id": "st1", "tags": ["medtop:04000000"],
        "iptc": ["medtop:04000000"]}
    assert body["data"]["url"] == f"{SITE}/en/articles/{a.article_id}"
    [entry] = await push.settled(sub)
    assert entry["id"] == req.headers["webhook-id"]
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("delivered", 1, 200)
    await push.expect_metric("webhook", "ok", 1)


async def test_failures_are_retried_with_the_same_webhook_id(push: PushApp) -> None:
    sub = await push.subscribe("/flaky")
    push.receiver.reply("/flaky", 500, 502)
    await push.article()
    requests = await push.receiver.wait("/flaky", 3)
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    for r in requests:  # each attempt is signed afresh (its own timestamp)
        Webhook(sub["secret"]).verify(r.body, r.headers)
    [entry] = await push.settled(sub)
    assert (entry["status"], entry["attempts"]) == ("delivered", 3)
    detail = (await push.client.get(
        f"/v1/push/subscriptions/{sub['id']}/deliveries/{entry['id']}", headers=ADMIN)).json()
    assert [(a["outcome"], a["status_code"]) for a in detail["attempts_log"]] == [
        ("retry", 500), ("retry", 502), ("ok", 200)]
    await push.expect_metric("webhook", "retry", 2)


async def test_retries_stop_after_max_attempts(push: PushApp) -> None:
    sub = await push.subscribe("/broken")
    push.receiver.reply("/broken", *[500] * 10)
    await push.article()
    [entry] = await push.settled(sub)
    assert (entry["status"], entry["attempts"], entry["last_status_code"]) == ("failed", 4, 500)
    assert entry["next_attempt_at"] is None
    assert len(push.receiver.received["/broken"]) == 4
    await push.expect_metric("webhook", "failed", 1)


async def test_retry_after_is_honoured(push: PushApp) -> None:
    """Backoff here is capped at 0.3 s; the subscriber's Retry-After: 1 wins."""
    sub = await push.subscribe("/busy")
    push.receiver.reply("/busy", (429, {"Retry-After": "1"}))
    await push.article()
    first, second = await push.receiver.wait("/busy", 2)
    assert second.at - first.at >= 0.9
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    [entry] = await push.settled(sub)
    assert entry["status"] == "delivered"


async def test_410_gone_disables_the_subscription(push: PushApp) -> None:
    sub = await push.subscribe("/gone")
    push.receiver.reply("/gone", 410)
    await push.article()
    [entry] = await push.settled(sub)
    assert (entry["status"], entry["last_status_code"]) == ("gone", 410)
    got = (await push.client.get(f"/v1/push/subscriptions/{sub['id']}", headers=ADMIN)).json()
    assert got["disabled"] and "410" in got["disabled_reason"]
    other = await push.subscribe("/other")
    await push.article()  # nothing more is enqueued for the disabled one
    await push.receiver.wait("/other")
    assert len(await push.log(sub)) == 1 and len(push.receiver.received["/gone"]) == 1
    assert len(await push.log(other)) == 1
    await push.expect_metric("webhook", "gone", 1)


async def test_a_hanging_subscriber_does_not_delay_another(make_push: PushFactory) -> None:
    async with make_push(push_timeout_s=5.0) as push:
        push.receiver.hanging.add("/dead")
        await push.subscribe("/dead")
        await push.subscribe("/live")
        started = time.monotonic()
        for _ in range(6):
            await push.article()
        live = await push.receiver.wait("/live", 6)
        assert live[-1].at - started < 2.5  # well before the dead one's first timeout (5 s)
        # The dead subscriber holds at most its per-target share of connections.
        assert len(push.receiver.received["/dead"]) <= 4


async def test_killed_articles_reach_subscribers_of_killed(push: PushApp) -> None:
    kills = await push.subscribe("/kills", event_types=["killed"])
    news = await push.subscribe("/news", event_types=["published"])
    event = await push.article(tags=("medtop:04000000",))
    await push.receiver.wait("/news")
    await push.kill(event)
    [req] = await push.receiver.wait("/kills")
    body = json.loads(req.body)
    assert body["type"] == "article.killed"
    assert body["data"]["article_id"] == event.article.article_id
    assert body["data"]["tags"] == ["medtop:04000000"]
    Webhook(kills["secret"]).verify(req.body, req.headers)
    await push.settled(kills)
    assert [d["event_type"] for d in await push.log(news)] == ["published"]


async def test_filters_choose_the_subscribers(push: PushApp) -> None:
    subs = {
        "all": await push.subscribe("/all"),
        "economy": await push.subscribe("/economy", iptc=["medtop:04000000"]),
        "cairo": await push.subscribe("/cairo", tags=["place:cairo"]),
        "arabic": await push.subscribe("/arabic", languages=["ar"]),
        "flash": await push.subscribe("/flash", min_urgency=2),
        "business": await push.subscribe("/business", sections=["business"]),
        "story": await push.subscribe("/story", stories=["st1"]),
        "none": await push.subscribe("/none", tags=["place:lima"], languages=["en"]),
    }
    await push.article(tags=("medtop:04000000",), urgency=3, section="business", story_id="st1")
    await push.article(tags=("place:cairo",), urgency=1, language="ar")
    await push.receiver.wait("/all", 2)
    await eventually(lambda: _no_pending(push))
    got = {name: len(await push.log(sub)) for name, sub in subs.items()}
    assert got == {"all": 2, "economy": 1, "cairo": 1, "arabic": 1, "flash": 1,
                   "business": 1, "story": 1, "none": 0}


async def _no_pending(push: PushApp) -> bool:
    return not await push.delivery_rows(status="pending")


async def test_comments_and_story_changes_for_those_who_ask(push: PushApp) -> None:
    sub = await push.subscribe("/talk", event_types=["comment_approved", "story_changed"],
                               stories=["st7"])
    event = await push.article(story_id="st7")
    article_id = event.article.article_id
    await eventually(lambda: _facets_known(push, article_id))  # comments match on its facets
    bus = push.runtime.bus
    await bus.publish(COMMENTS, CommentPosted(comment_id="c1", article_id=article_id,
                                              author="Ann", body="Good", status="approved"))
    await bus.publish(COMMENTS, CommentPosted(comment_id="c2", article_id=article_id,
                                              author="Bob", body="Hm", status="pending"))
    # Featuring the approved comment changes nothing for subscribers: no second approval.
    await bus.publish(COMMENTS, CommentModerated(comment_id="c1", article_id=article_id,
                                                 status="approved", reason="featured",
                                                 author="Ann", body="Good", featured=True))
    # A held comment approved by a moderator is news to them.
    await bus.publish(COMMENTS, CommentModerated(comment_id="c2", article_id=article_id,
                                                 status="approved", reason=None,
                                                 author="Bob", body="Hm"))
    await push.send(StoryChanged(story_id="st7", title="Floods", article_ids=(article_id,)))
    requests = await push.receiver.wait("/talk", 3)
    types = sorted(json.loads(r.body)["type"] for r in requests)
    assert types == ["comment.approved", "comment.approved", "story.changed"]
    approved = [json.loads(r.body)["data"]["comment_id"] for r in requests
                if json.loads(r.body)["type"] == "comment.approved"]
    assert sorted(approved) == ["c1", "c2"]
    await push.settled(sub, 3)
    assert len(await push.log(sub)) == 3


async def test_redelivered_bus_events_never_add_a_second_delivery(push: PushApp) -> None:
    sub = await push.subscribe("/once")
    event = await push.article()
    await push.receiver.wait("/once")
    again = ArticlePublished(article_id=event.article.article_id, version=1, language="en",
                             headline="h", url="/en/articles/x")
    for _ in range(3):
        await push.runtime.bus.publish(ARTICLES_PUBLISHED, again)
    await push.receiver.wait("/once", 2)
    # Forget that push handled it (as if the inbox had been pruned) and deliver it again.
    inbox = push.runtime.inbox_table
    async with push.runtime.sessions() as s, s.begin():
        await s.execute(inbox.delete().where(inbox.c.event_id == again.event_id))
    await push.runtime.bus.publish(ARTICLES_PUBLISHED, again)
    await eventually(lambda: _handled(push, again.event_id))
    await push.settled(sub, 2)
    rows = [d for d in await push.log(sub) if d["event_id"] == again.event_id]
    assert len(rows) == 1 and len(push.receiver.received["/once"]) == 2


async def _facets_known(push: PushApp, article_id: str) -> bool:
    async with push.runtime.sessions() as s:
        row = await s.get(ArticleFacets, article_id)
        return row is not None and row.version > 0  # not just parked: enriched seen


async def _handled(push: PushApp, event_id: str) -> bool:
    inbox = push.runtime.inbox_table
    async with push.runtime.sessions() as s:
        return bool(await s.scalar(inbox.select().where(inbox.c.event_id == event_id)))
