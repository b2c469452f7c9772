"""The first-page cache: short-lived, dropped on change, never storing a read older
than the last change."""

from __future__ import annotations

from wirestream.comments.pagecache import PageCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_pages_expire_and_changes_drop_them() -> None:
    clock = Clock()
    cache = PageCache(ttl_s=1.0, clock=clock)
    key = ("art1", "newest", 50)
    cache.put(key, b"page", since=clock())
    assert cache.get(key) == b"page"
    clock.now += 1.0
    assert cache.get(key) is None  # expired
    cache.put(key, b"page2", since=clock())
    cache.invalidate(["art2"])
    assert cache.get(key) == b"page2"  # another article's change
    cache.invalidate(["art1"])
    assert cache.get(key) is None


def test_a_read_older_than_a_change_is_not_stored() -> None:
    clock = Clock()
    cache = PageCache(ttl_s=5.0, clock=clock)
    key = ("art1", "oldest", 10)
    since = clock()  # the read starts...
    clock.now += 0.01
    cache.invalidate(["art1"])  # ...a comment commits meanwhile...
    cache.put(key, b"stale", since=since)  # ...the read finishes with the old page
    assert cache.get(key) is None
    clock.now += 0.01
    cache.put(key, b"fresh", since=clock())
    assert cache.get(key) == b"fresh"


def test_bounded_and_switchable_off() -> None:
    clock = Clock()
    cache = PageCache(ttl_s=5.0, max_articles=2, clock=clock)
    for aid in ("a", "b", "c"):
        cache.put((aid, "newest", 50), aid.encode(), since=clock())
    assert [cache.get((aid, "newest", 50)) for aid in "abc"] == [None, b"b", b"c"]
    off = PageCache(ttl_s=0, clock=clock)
    off.put(("a", "newest", 50), b"x", since=clock())
    assert off.get(("a", "newest", 50)) is None
