"""Atom, RSS and JSON Feed output."""

from __future__ import annotations

import json
from datetime import timedelta

from lxml import etree

from wirestream.publish.render import atom_feed, json_feed, rss_feed

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_items(make_item, now):
    return [
        make_item(headline="Newest <b>bold</b>", published_at=now, sources=["RT", "Xinhua"]),
        make_item(
            headline="Older",
            published_at=now - timedelta(hours=3),
            updated_at=now - timedelta(hours=1),
            section="world",
        ),
    ]


def test_atom_feed_parses_with_the_right_entries(site, make_item, now):
    items = feed_items(make_item, now)
    xml = atom_feed(items, site=site, title="Wirestream", language="en", self_url="/en/feed.atom")
    root = etree.fromstring(xml)

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Wirestream"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://news.example/en/feed.atom"
    assert root.findtext(f"{ATOM}updated") == now.isoformat()
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newest <b>bold</b>", "Older"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"https://news.example{items[0].url}"
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == ["RT", "Xinhua"]
    assert entries[1].findtext(f"{ATOM}updated") == (now - timedelta(hours=1)).isoformat()
    assert entries[1].find(f"{ATOM}category").get("term") == "world"


def test_rss_feed_parses_with_the_right_items(site, make_item, now):
    items = feed_items(make_item, now)
    xml = rss_feed(items, site=site, title="وايرستريم", language="ar", self_url="/ar/feed.rss")
    root = etree.fromstring(xml)

    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert channel.findtext("title") == "وايرستريم"
    assert channel.findtext("language") == "ar"
    assert channel.findtext("link") == "https://news.example/ar/"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link[@rel='self']")
    assert self_link.get("href") == "https://news.example/ar/feed.rss"
    rss_items = channel.findall("item")
    assert [i.findtext("title") for i in rss_items] == ["Newest <b>bold</b>", "Older"]
    assert rss_items[0].findtext("guid") == f"https://news.example{items[0].url}"
    creator = rss_items[0].findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert creator == "RT + Xinhua"


def test_json_feed_is_json_feed_1_1(site, make_item, now):
    items = feed_items(make_item, now)
    feed = json.loads(
        json_feed(items, site=site, title="Wirestream", language="en", self_url="/en/feed.json")
    )
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://news.example/en/feed.json"
    assert feed["home_page_url"] == "https://news.example/en/"
    assert [i["title"] for i in feed["items"]] == ["Newest <b>bold</b>", "Older"]
    first = feed["items"][0]
    assert first["id"] == first["url"] == f"https://news.example{items[0].url}"
    assert first["content_text"] == "A short summary."
    assert first["authors"] == [{"name": "RT"}, {"name": "Xinhua"}]
    assert first["date_published"] == now.isoformat()


def test_killed_articles_are_simply_absent(site, make_item, now):
    kept = make_item(published_at=now)
    xml = atom_feed([kept], site=site, title="T", language="en", self_url="/en/feed.atom")
    assert len(etree.fromstring(xml).findall(f"{ATOM}entry")) == 1


def test_control_characters_do_not_break_the_feeds(site, make_item, now):
    items = [make_item(headline="Bad\x00 byte\x1b", summary="x\x0by", published_at=now)]
    for build in (atom_feed, rss_feed):
        root = etree.fromstring(build(items, site=site, title="T", language="en", self_url="/f"))
        assert "Bad byte" in etree.tostring(root, encoding="unicode")


def test_empty_feeds_are_still_valid(site):
    kwargs = {"site": site, "title": "T", "language": "en", "self_url": "/f"}
    assert etree.fromstring(atom_feed([], **kwargs)).findall(f"{ATOM}entry") == []
    assert etree.fromstring(rss_feed([], **kwargs)).findall("channel/item") == []
    assert json.loads(json_feed([], **kwargs))["items"] == []
