"""Posting and reading comments: the contract publish and the site rely on."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser

from wirestream.common.events import ArticleUnpublished
from wirestream.common.streams import ARTICLES_PUBLISHED
from wirestream.common.testing import eventually

from .conftest import Harness


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


async def test_anonymous_comment_is_accepted_listed_and_announced(h: Harness) -> None:
    article = await h.open_article()
    r = await h.post(article, "A fair point about the harbour.", author="Omar")
    assert r.status_code == 201, r.text
    c = r.json()
    assert {k: c[k] for k in ("article_id", "author", "body", "status")} == {
        "article_id": article, "author": "Omar", "body": "A fair point about the harbour.",
        "status": "approved"}
    assert datetime.fromisoformat(c["created_at"]).tzinfo is not None
    assert c["body_html"] == "<p>A fair point about the harbour.</p>"

    listed = (await h.client.get(f"/v1/articles/{article}/comments")).json()
    assert [x["comment_id"] for x in listed["comments"]] == [c["comment_id"]]
    assert listed["next_cursor"] is None

    event = await h.wait_event("comment.posted", comment_id=c["comment_id"])
    assert event["status"] == "approved" and event["author"] == "Omar"


async def test_comments_only_on_articles_publish_announced(h: Harness) -> None:
    r = await h.post("never-published", "Hello there")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/article-not-open")

    article = await h.open_article()
    await h.runtime.bus.publish(ARTICLES_PUBLISHED, ArticleUnpublished(
        article_id=article, url="http://site.test/x"))

    async def refused() -> bool:
        return (await h.post(article, f"Still open? {article}")).status_code == 404

    await eventually(refused)


async def test_browser_posts_need_the_anti_forgery_header(h: Harness) -> None:
    article = await h.open_article()
    r = await h.client.post(f"/v1/articles/{article}/comments",
                            json={"author": "X", "body": "forged"},
                            headers={"X-Requested-With": ""})
    assert r.status_code == 403 and r.json()["type"].endswith("/csrf")
    token = await h.reader()
    r = await h.client.post(f"/v1/articles/{article}/comments", json={"body": "with token"},
                            headers={"X-Requested-With": "", "Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text


async def test_client_mistakes_are_problems_not_errors(h: Harness) -> None:
    article = await h.open_article()
    blank = await h.post(article, "   ")
    assert blank.status_code == 422 and blank.json()["type"].endswith("/validation-error")
    nameless = await h.post(article, "Who am I?", author=None)
    assert nameless.status_code == 422
    assert nameless.json()["errors"][0]["pointer"] == "/author"
    bad_cursor = await h.client.get(f"/v1/articles/{article}/comments?cursor=%%%")
    assert bad_cursor.status_code == 400
    invisible = await h.post(article, "\x00\u202e")  # nothing a reader could see
    assert invisible.status_code == 422
    nul = await h.post(article, "before\x00after", author="N\x00ul")
    assert nul.status_code == 201 and (nul.json()["body"], nul.json()["author"]) == (
        "beforeafter", "Nul")
    huge = await h.client.post(f"/v1/articles/{article}/comments",
                               content=b'{"body": "' + b"x" * 70_000 + b'"}',
                               headers={"content-type": "application/json"})
    assert huge.status_code == 413


async def test_script_in_a_comment_is_rendered_harmless(h: Harness) -> None:
    article = await h.open_article()
    payload = ('<script>alert(1)</script><img src=x onerror=alert(2)> '
               '<a href="javascript:alert(3)">x</a> https://example.com/"onmouseover="alert(4)')
    r = await h.post(article, payload)
    assert r.status_code == 201, r.text
    html = r.json()["body_html"]
    tags = _tags(html)
    assert {t for t, _ in tags} <= {"p", "a"}
    for tag, attrs in tags:  # the one link is the https one, with nothing smuggled in
        if tag == "a":
            assert dict(attrs)["href"] == "https://example.com/"
            assert set(dict(attrs)) == {"href", "rel", "target"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert r.json()["body"] == payload  # stored as typed, rendered on output
    listed = (await h.client.get(f"/v1/articles/{article}/comments")).json()["comments"]
    assert listed[0]["body_html"] == html


async def test_replies_must_stay_on_the_same_article(h: Harness) -> None:
    article, other = await h.open_article(), await h.open_article()
    parent = (await h.post(article, "The first comment")).json()
    reply = await h.post(article, "A reply to it", parent_id=parent["comment_id"])
    assert reply.status_code == 201 and reply.json()["parent_id"] == parent["comment_id"]
    elsewhere = await h.post(other, "Replying across articles", parent_id=parent["comment_id"])
    assert elsewhere.status_code == 422
    assert elsewhere.json()["errors"][0]["pointer"] == "/parent_id"
    missing = await h.post(article, "Replying to nothing", parent_id="nope")
    assert missing.status_code == 422
    event = await h.wait_event("comment.posted", comment_id=reply.json()["comment_id"])
    assert event["parent_id"] == parent["comment_id"]
