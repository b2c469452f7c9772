"""schema.org ``NewsArticle`` structured data, safe to inline in a ``<script>``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from markupsafe import Markup

from wirestream.publish.render.i18n import Translator
from wirestream.publish.render.views import ArticleView, SiteConfig, as_utc

# Inside <script> the HTML parser only looks for "</script" and "<!--"; escaping
# these characters as JSON \u sequences keeps the data inert and still valid JSON.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def iso(value: datetime) -> str:
    """RFC 3339 timestamp in UTC; naive datetimes are taken to be UTC."""
    return as_utc(value).isoformat()


def script_json(data: Any) -> Markup:
    """``data`` as JSON that cannot break out of an inline ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_ESCAPES))


def news_article(view: ArticleView, site: SiteConfig) -> dict[str, Any]:
    """The ``NewsArticle`` object for ``view`` (absolute URLs, ISO dates)."""
    url = site.absolute(view.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": view.headline,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": view.language,
        "datePublished": iso(view.published_at),
        "dateModified": iso(view.updated_at or view.published_at),
        "publisher": {"@type": "Organization", "name": site.site_name, "url": site.base_url},
    }
    sources = [{"@type": "Organization", "name": s} for s in view.sources]
    if view.byline:
        data["author"] = [{"@type": "Person", "name": view.byline}]
    elif sources:
        data["author"] = sources
    if sources:
        data["sourceOrganization"] = sources
    if view.summary:
        data["description"] = view.summary
    if view.feature_image:
        data["image"] = [site.absolute(view.feature_image[0])]
    if view.section:
        data["articleSection"] = Translator(view.language).label("section", view.section)
    if view.tags:
        data["keywords"] = [t.label for t in view.tags]
    if view.comment_count:
        data["commentCount"] = view.comment_count
    if view.machine_translation:
        data["translator"] = {"@type": "SoftwareApplication", "name": view.machine_translation[0]}
    return data
