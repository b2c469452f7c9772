"""Google News sitemap: articles published in the last 48 hours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from lxml import etree

from wirestream.publish.render.i18n import primary
from wirestream.publish.render.jsonld import iso
from wirestream.publish.render.views import ListItemView, SiteConfig, as_utc, xml_safe

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = timedelta(hours=48)
MAX_URLS = 1000  # Google News reads at most 1,000 URLs per sitemap


def news_language(language: str) -> str:
    """ISO 639 code as Google News wants it; Chinese keeps its script (``zh-cn``, ``zh-tw``)."""
    code = language.replace("_", "-").lower()
    return code if code in ("zh-cn", "zh-tw") else primary(code)


def news_sitemap(
    items: Sequence[ListItemView],
    *,
    site: SiteConfig,
    now: datetime,
    window: timedelta = NEWS_WINDOW,
) -> bytes:
    """The ``<urlset>`` (UTF-8 bytes) of ``items`` published within ``window`` before ``now``.

    Items are listed newest first and capped at ``MAX_URLS``. Items stamped a
    little after ``now`` (clock skew between services) are kept, not dropped.
    """
    cutoff = as_utc(now) - window
    recent = [i for i in items if as_utc(i.published_at) >= cutoff]
    recent.sort(key=lambda i: as_utc(i.published_at), reverse=True)

    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for item in recent[:MAX_URLS]:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = site.absolute(item.url)
        news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = site.site_name
        etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = news_language(item.language)
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = iso(item.published_at)
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = xml_safe(item.headline)
    return bytes(etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True))
