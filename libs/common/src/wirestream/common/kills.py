"""What a kill means for versions of the item that arrive after it; every service agrees."""

from __future__ import annotations

from .events import Article


def outlives_kill(article: Article, killed_version: int) -> bool:
    """Whether ``article`` brings back an item killed at ``killed_version``.

    Ingest puts a killed item live again when the agency sends a strictly higher
    version with ``pub_status`` usable (its ``ArticleUpdated`` follows the
    ``ArticleKilled``). Anything else stays dead: the killed version, an older one
    delivered late (a kill can overtake its item), or one withheld or canceled.
    """
    return article.version > killed_version and article.pub_status == "usable"
