"""The publish service's pure rendering layer: HTML pages, feeds and the news sitemap."""

from wirestream.publish.render.feeds import atom_feed, json_feed, rss_feed
from wirestream.publish.render.pages import STATIC_DIR, Renderer
from wirestream.publish.render.sitemap import news_sitemap
from wirestream.publish.render.views import (
    ArticleView,
    CommentView,
    ImageRef,
    ListItemView,
    MachineTranslation,
    PollOptionView,
    PollView,
    RelatedLink,
    SiteConfig,
    StoryRef,
    TagView,
    TranslationLink,
    http_url,
    image_ref,
    tag_view,
)

__all__ = [
    "STATIC_DIR",
    "ArticleView",
    "CommentView",
    "ImageRef",
    "ListItemView",
    "MachineTranslation",
    "PollOptionView",
    "PollView",
    "RelatedLink",
    "Renderer",
    "SiteConfig",
    "StoryRef",
    "TagView",
    "TranslationLink",
    "atom_feed",
    "http_url",
    "image_ref",
    "json_feed",
    "news_sitemap",
    "rss_feed",
    "tag_view",
]
