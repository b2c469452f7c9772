"""Dirty keys: the name of a group of pages rendered together.

``article:{id}`` is one article page; ``home:{lang}`` a front page (``home:``
the all-language one), ``section:{lang}:{name}``, ``tag:{lang}:{tag}`` and
``story:{lang}:{story}`` a list page; ``sitemap`` the news sitemap. (A list's
feeds follow its page: see :mod:`wirestream.publish.feedcache`.) Keys sort with
every ``article:`` key first, then ``home:`` keys, which the lock order relies
on (see :mod:`wirestream.publish.dirty`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("article", "home", "section", "tag", "story", "sitemap")


@dataclass(frozen=True, order=True)
class Key:
    kind: str
    language: str = ""
    name: str = ""

    @property
    def text(self) -> str:
        if self.kind == "article":
            return f"article:{self.name}"
        if self.kind == "home":
            return f"{self.kind}:{self.language}"
        if self.kind == "sitemap":
            return "sitemap"
        return f"{self.kind}:{self.language}:{self.name}"

    @classmethod
    def parse(cls, text: str) -> Key:
        kind, _, rest = text.partition(":")
        if kind == "article":
            return cls("article", "", rest)
        if kind in ("home", "sitemap"):
            return cls(kind, rest)
        language, _, name = rest.partition(":")
        if kind not in KINDS or not name:
            raise ValueError(f"not a page key: {text!r}")
        return cls(kind, language, name)


def article(article_id: str) -> Key:
    return Key("article", "", article_id)


SITEMAP = Key("sitemap")


def lists_showing(*, language: str, section: str | None, tags: Iterable[str],
                  story_id: str | None, story_languages: Iterable[str]) -> set[Key]:
    """Every list key and the sitemap that show an article like this."""
    keys = {Key("home", language), Key("home", ""), SITEMAP}
    if section:
        keys.add(Key("section", language, section))
    keys.update(Key("tag", language, t) for t in tags)
    if story_id:
        keys.update(Key("story", lang, story_id) for lang in {language, *story_languages})
    return keys
