"""Approved comments and poll results from the comments stream appear on the article page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wirestream.common.events import CommentModerated, PollOption, PollUpdated
from wirestream.common.testing import make_comment

from .conftest import Publish, dom, enriched

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


async def live_article(publish: Publish) -> tuple[str, str]:
    """An English article published and its page live: (article id, page URL)."""
    event = enriched()
    url = f"/en/articles/{event.article.article_id}"
    await publish.publish(event)
    await publish.page(url)
    return event.article.article_id, url


async def test_only_approved_comments_are_shown_with_their_count(publish: Publish) -> None:
    article_id, url = await live_article(publish)
    first = make_comment(article_id=article_id, author="Ann", body="First!\nSecond line",
                         posted_at=T0)
    held = make_comment(article_id=article_id, author="Bob", body="Held back",
                        status="pending", posted_at=T0 + timedelta(minutes=1))
    reply = make_comment(article_id=article_id, author="Cy", body="A reply",
                         parent_id=first.comment_id, posted_at=T0 + timedelta(minutes=2))
    await publish.comment(first, held, reply)
    await publish.settle()
    doc = dom((await publish.get(url)).text)
    assert doc.xpath('//ol[@class="comment-list"]/li/@data-comment-id') == [
        first.comment_id, reply.comment_id]
    assert doc.xpath('//li[@data-comment-id=$id]/@data-depth', id=reply.comment_id) == ["1"]
    assert doc.xpath('//section[@id="comments"]//span[@class="count"]/text()') == ["(2)"]
    assert doc.xpath('//li[@data-comment-id=$id]//div[@class="comment-body"]/p/text()',
                     id=first.comment_id) == ["First!", "Second line"]
    assert "Held back" not in doc.text_content()

    # The moderator approves one and rejects another.
    await publish.comment(
        CommentModerated(comment_id=held.comment_id, article_id=article_id, status="approved"),
        CommentModerated(comment_id=first.comment_id, article_id=article_id, status="rejected"))
    await publish.settle()
    doc = dom((await publish.get(url)).text)
    assert doc.xpath('//ol[@class="comment-list"]/li/@data-comment-id') == [
        held.comment_id, reply.comment_id]
    assert "First!" not in doc.text_content()
    form = doc.xpath('//form[@class="comment-form"]/@action')
    assert form == [f"https://comments.example/v1/articles/{article_id}/comments"]


async def test_a_comment_body_is_escaped(publish: Publish) -> None:
    article_id, url = await live_article(publish)
    await publish.comment(make_comment(article_id=article_id,
                                       body="<script>alert(1)</script>"))
    await publish.settle()
    text = (await publish.get(url)).text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text


def poll(article_id: str, votes: tuple[int, int], *, at: datetime,
         closed: bool = False) -> PollUpdated:
    return PollUpdated(poll_id="p1", article_id=article_id, question="Will talks succeed?",
                       options=(PollOption(option_id="0", label="Yes", votes=votes[0]),
                                PollOption(option_id="1", label="No", votes=votes[1])),
                       closed=closed, occurred_at=at)


async def test_poll_results_follow_poll_updates(publish: Publish) -> None:
    article_id, url = await live_article(publish)
    await publish.comment(poll(article_id, (3, 1), at=T0))
    await publish.settle()
    box = dom((await publish.get(url)).text).xpath('//div[@class="poll-box"]')[0]
    assert box.xpath('string(.//span[@class="poll-question"])') == "Will talks succeed?"
    assert box.xpath('.//meter/@value') == ["75", "25"]
    assert box.xpath('.//span[@class="poll-votes"]/text()') == ["3 votes", "1 vote"]
    assert box.get("data-vote-url") == "https://comments.example/v1/polls/p1/votes"

    # An older update delivered late changes nothing; closing removes the vote buttons.
    await publish.comment(poll(article_id, (9, 9), at=T0 - timedelta(minutes=5)))
    await publish.comment(poll(article_id, (4, 4), at=T0 + timedelta(minutes=5), closed=True))
    await publish.settle()
    box = dom((await publish.get(url)).text).xpath('//div[@class="poll-box"]')[0]
    assert box.xpath('.//meter/@value') == ["50", "50"]
    assert not box.xpath('.//button') and box.get("data-vote-url") is None
    assert box.xpath('string(.//span[@class="poll-closed"])') == "Voting has closed"


async def test_edits_and_featuring_reach_the_page(publish: Publish) -> None:
    article_id, url = await live_article(publish)
    ann = make_comment(article_id=article_id, author="Ann", body="Frist!", posted_at=T0)
    bob = make_comment(article_id=article_id, author="Bob", body="Plain", posted_at=T0)
    await publish.comment(ann, bob)
    await publish.settle()

    def moderated(comment_id: str, **fields: object) -> CommentModerated:
        fields.setdefault("status", "approved")
        return CommentModerated(comment_id=comment_id, article_id=article_id, author="Ann",
                                posted_at=T0, **fields)  # type: ignore[arg-type]

    # Ann edits her comment, then staff feature it; a comment never seen arrives featured.
    late = moderated("c-late", body="Seen first as featured", featured=True)
    await publish.comment(moderated(ann.comment_id, reason="edited", body="First!"),
                          moderated(ann.comment_id, reason="featured", body="First!",
                                    featured=True), late)
    await publish.settle()
    doc = dom((await publish.get(url)).text)
    featured = doc.xpath('//li[contains(@class, "featured")]/@data-comment-id')
    assert sorted(featured) == sorted([ann.comment_id, "c-late"])
    assert doc.xpath('//li[@data-comment-id=$id]//div[@class="comment-body"]/p/text()',
                     id=ann.comment_id) == ["First!"]
    assert doc.xpath('string(//li[@data-comment-id=$id]//span[@class="comment-featured"])',
                     id=ann.comment_id) == "Featured"
    assert "Frist!" not in doc.text_content()

    # Unfeatured by a sender that names it only in the reason; rejected and re-approved
    # comments come back unfeatured.
    await publish.comment(moderated(ann.comment_id, reason="unfeatured", body="First!"),
                          moderated("c-late", status="rejected", body="Seen first as featured"),
                          moderated("c-late", body="Seen first as featured"))
    await publish.settle()
    doc = dom((await publish.get(url)).text)
    assert doc.xpath('//li[contains(@class, "featured")]') == []
    shown = doc.xpath('//ol[@class="comment-list"]/li/@data-comment-id')
    assert sorted(shown) == sorted([ann.comment_id, bob.comment_id, "c-late"])


async def test_a_late_redelivered_decision_does_not_undo_a_newer_one(publish: Publish) -> None:
    article_id, url = await live_article(publish)
    ann = make_comment(article_id=article_id, author="Ann", body="Visible", posted_at=T0)
    await publish.comment(ann)
    await publish.settle()
    now = datetime.now(UTC)  # after the CommentPosted above happened
    approved = CommentModerated(comment_id=ann.comment_id, article_id=article_id,
                                status="approved", body="Visible",
                                occurred_at=now + timedelta(seconds=1))
    deleted = CommentModerated(comment_id=ann.comment_id, article_id=article_id,
                               status="deleted", occurred_at=now + timedelta(seconds=2))
    # The deletion is handled first; the earlier approval comes back late (a claimed retry).
    await publish.comment(deleted)
    await publish.settle()
    await publish.comment(approved)
    await publish.settle()
    doc = dom((await publish.get(url)).text)
    assert doc.xpath('//ol[@class="comment-list"]/li/@data-comment-id') == []
    assert "Visible" not in doc.text_content()
