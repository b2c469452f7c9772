"""Page keys, paths and the ticker's wire format: no I/O."""

from __future__ import annotations

import json

import pytest

from wirestream.common.envelope import entry_fields
from wirestream.common.events import ArticlePublished, ArticleUnpublished, CommentPosted
from wirestream.publish import keys
from wirestream.publish.keys import Key
from wirestream.publish.live import parse_id, sse_text, valid_id
from wirestream.publish.paths import feed_path, is_segment, slug


@pytest.mark.parametrize("key", [
    keys.article("a1"), Key("home", "en"), Key("home", ""), Key("section", "ar", "world"),
    Key("tag", "en", "person:vladimir-putin"), Key("story", "en", "s-1"), keys.SITEMAP,
])
def test_keys_round_trip(key: Key) -> None:
    assert Key.parse(key.text) == key


def test_article_keys_sort_first_then_front_pages() -> None:
    texts = sorted(k.text for k in [keys.SITEMAP, Key("tag", "en", "a"), keys.article("zz"),
                                    Key("section", "en", "a"),
                                    Key("home", "en"), Key("story", "en", "s")])
    assert texts[:2] == ["article:zz", "home:en"]


def test_lists_showing_an_article() -> None:
    found = keys.lists_showing(language="en", section="world", tags=["t1"], story_id="s",
                               story_languages=["ar"])
    assert found == {Key("home", "en"), Key("home", ""), keys.SITEMAP,
                     Key("section", "en", "world"), Key("tag", "en", "t1"),
                     Key("story", "en", "s"), Key("story", "ar", "s")}


def test_paths() -> None:
    assert slug(" World News ") == "world-news"
    assert feed_path("/en/", "atom") == "/en/feed.atom"
    assert feed_path("/en/tags/x", "rss") == "/en/tags/x/feed.rss"
    assert is_segment("person:vladimir-putin") and is_segment("مكان:غزة")
    assert not is_segment("a/b") and not is_segment("a b")


def _fields(event: object) -> dict[bytes, bytes]:
    return {k.encode(): v if isinstance(v, bytes) else v.encode()
            for k, v in entry_fields(event).items()}  # type: ignore[arg-type]


def test_ticker_entries() -> None:
    published = ArticlePublished(article_id="a", version=2, language="ar", headline="خبر",
                                 url="/ar/articles/a", is_update=True)
    text = sse_text("1-0", _fields(published))
    assert text is not None and text.startswith("id: 1-0\nevent: updated\ndata: ")
    assert json.loads(text.split("data: ")[1])["headline"] == "خبر"
    breaking = published.model_copy(update={"urgency": 1})
    assert "event: breaking" in (sse_text("1-1", _fields(breaking)) or "")
    killed = ArticleUnpublished(article_id="a", url="/ar/articles/a")
    assert "event: killed" in (sse_text("1-2", _fields(killed)) or "")
    assert sse_text("1-3", _fields(CommentPosted(comment_id="c", article_id="a", author="x",
                                                 body="y"))) is None
    assert sse_text("1-4", {b"junk": b"x"}) is None


def test_stream_ids() -> None:
    assert parse_id("1700000000000-3") == (1700000000000, 3)
    assert parse_id("9-0") < parse_id("10-0")
    assert valid_id("1-0") and not valid_id("$") and not valid_id(None) and not valid_id("1-x")
