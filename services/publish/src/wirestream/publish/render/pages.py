"""HTML pages for readers, rendered from view models with Jinja2.

Pure functions of their inputs: no database, bus, clock or HTTP. The service
decides status codes and caching (``gone`` is the body of a 410 response).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from wirestream.publish.render.i18n import Translator, endonym, og_locale, primary, text_direction
from wirestream.publish.render.jsonld import iso, news_article, script_json
from wirestream.publish.render.views import (
    ArticleView,
    CommentView,
    ListItemView,
    SiteConfig,
    TagView,
    as_utc,
)

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

BREAKING_URGENCY = 2  # IPTC urgency 1 (flash) and 2 get the "Breaking" badge
CARD_CACHE = 5000  # rendered list cards kept (a few KB each)


def thread(comments: Iterable[CommentView]) -> list[tuple[CommentView, int]]:
    """Comments in reading order with their reply depth (replies follow their parent).

    Input order is kept among siblings; a reply whose parent is missing (not
    approved, deleted) is shown at the top level rather than dropped.
    """
    items = list(comments)
    ids = {c.comment_id for c in items}
    children: dict[str | None, list[CommentView]] = {}
    for c in items:
        parent = c.parent_id if c.parent_id in ids and c.parent_id != c.comment_id else None
        children.setdefault(parent, []).append(c)
    out: list[tuple[CommentView, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        comment, depth = stack.pop()
        if comment.comment_id in seen:  # a parent cycle; show each comment once
            continue
        seen.add(comment.comment_id)
        out.append((comment, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(comment.comment_id, [])))
    return out


class Renderer:
    """Renders every reader-facing HTML page of one site."""

    def __init__(self, site: SiteConfig) -> None:
        self.site = site
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates ship with the package; no mtime check per render
        )
        self._env.filters["iso"] = iso
        self._env.filters["absolute"] = site.absolute
        self._env.filters["endonym"] = endonym
        self._env.globals.update(site=site, breaking_urgency=BREAKING_URGENCY,
                                 card_html=self._card)
        self._cards: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()

    def _card(self, item: ListItemView, tr: Translator, hero: bool = False) -> Markup:
        """One list card, from memory when this item was shown in this language before:
        a front page or section redrawn for one new article re-renders one card, not 30."""
        key = (item.article_id, item.headline, item.summary, tuple(item.sources), item.section,
               item.image, item.published_at, item.updated_at, item.is_updated, item.urgency,
               item.story, item.language, tr.language, tr.num("0"), hero)
        html = self._cards.get(key)
        if html is None:
            macros = self._env.get_template("_macros.html").module
            html = Markup(macros.card(item, tr, hero=hero))  # type: ignore[attr-defined]
            self._cards[key] = html
            if len(self._cards) > CARD_CACHE:
                self._cards.popitem(last=False)
        else:
            self._cards.move_to_end(key)
        return html

    def _render(self, template: str, language: str, **context: Any) -> str:
        language = language or self.site.default_language
        tr = Translator(language, arabic_digits=self.site.arabic_indic_digits)
        page = {
            "lang": language,
            "dir": context.pop("dir", "") or text_direction(language),
            "tr": tr,
            "home_url": self.site.home_url(primary(language)),
            "nav": [
                (tr.label("section", s), self.site.section_url(s, primary(language)))
                for s in self.site.sections
            ],
            "og_locale": og_locale(language),
        }
        return self._env.get_template(template).render(**page, **context)

    def _listing(
        self,
        language: str,
        *,
        title: str,
        kicker: str,
        items: Sequence[ListItemView],
        canonical: str | None,
        sources: Sequence[str] = (),
        timeline: bool = False,
    ) -> str:
        return self._render(
            "listing.html",
            language,
            title=title,
            kicker=kicker,
            items=items,
            canonical=canonical,
            sources=sources,
            timeline=timeline,
        )

    def article(self, view: ArticleView) -> str:
        """The article page: story, tags, translations, JSON-LD, comments and poll slot."""
        return self._render(
            "article.html",
            view.language,
            dir=view.dir,
            view=view,
            comments=thread(view.comments),
            comment_count=max(view.comment_count, len(view.comments)),
            jsonld=script_json(news_article(view, self.site)),
        )

    def home(
        self, latest: Sequence[ListItemView], top_stories: Sequence[ListItemView], language: str
    ) -> str:
        """The front page: top stories, then the latest list the live ticker feeds."""
        return self._render("home.html", language, latest=latest, top_stories=top_stories)

    def section(self, name: str, items: Sequence[ListItemView], language: str) -> str:
        """A section page (``name`` is the section slug, e.g. ``"world"``)."""
        tr = Translator(language)
        return self._listing(
            language,
            title=tr.label("section", name),
            kicker=tr("sections"),
            items=items,
            canonical=self.site.section_url(name, primary(language)),
        )

    def tag(self, tag: TagView, items: Sequence[ListItemView], language: str) -> str:
        """A tag page listing the articles carrying ``tag``."""
        return self._listing(
            language,
            title=tag.label,
            kicker=Translator(language).label("kind", tag.kind),
            items=items,
            canonical=tag.url,
        )

    def story(
        self,
        story_title: str,
        items: Sequence[ListItemView],
        sources: Sequence[str],
        language: str,
        *,
        url: str | None = None,
    ) -> str:
        """A story timeline, oldest item first, headed "Story · N items"."""
        ordered = sorted(items, key=lambda i: as_utc(i.published_at))
        tr = Translator(language, arabic_digits=self.site.arabic_indic_digits)
        return self._listing(
            language,
            title=story_title,
            kicker=f"{tr('story')} · {tr.plural('items', len(ordered))}",
            items=ordered,
            sources=sources,
            timeline=True,
            canonical=url,
        )

    def gone(self, language: str) -> str:
        """The notice served (with status 410) in place of a killed article."""
        return self._render("gone.html", language)
