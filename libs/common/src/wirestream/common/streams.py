"""Stream, consumer-group and key names, declared once for every service."""

from __future__ import annotations

import os
import socket

PREFIX = "wirestream"

# Streams: each carries the events of one stage of the pipeline.
ARTICLES_INGESTED = f"{PREFIX}:articles:ingested"  # ArticleIngested | ArticleUpdated | ArticleKilled
# ArticleEnriched | ArticleKilled | ArticleTranslated | StoryChanged
ARTICLES_ENRICHED = f"{PREFIX}:articles:enriched"
ARTICLES_PUBLISHED = f"{PREFIX}:articles:published"  # ArticlePublished | ArticleUnpublished
COMMENTS = f"{PREFIX}:comments"  # CommentPosted | CommentModerated | PollUpdated
DEAD_LETTERS = f"{PREFIX}:dead-letters"

ALL_STREAMS = (ARTICLES_INGESTED, ARTICLES_ENRICHED, ARTICLES_PUBLISHED, COMMENTS)

# Consumer groups: one per consuming service.
GROUP_ENRICH = "enrich"
GROUP_PUBLISH = "publish"
GROUP_COMMENTS = "comments"
# Publish's push channels (subscriber webhooks, Web Push) read as their own group,
# so a slow subscriber never holds back the site.
GROUP_PUSH = "publish-push"

STREAM_DESCRIPTIONS = {
    ARTICLES_INGESTED: "Wire items ingest accepted: new, updated (or corrected) and killed.",
    ARTICLES_ENRICHED: "Articles with language and tags; translations; story changes; kills.",
    ARTICLES_PUBLISHED: "Articles put live on the site or taken down. Downstream apps may "
                        "read it with their own consumer group.",
    COMMENTS: "Reader comments, moderation decisions and poll results.",
}

# Key prefix the outbox relay uses to make each XADD happen once per event.
RELAYED_KEY_PREFIX = f"{PREFIX}:relayed:"
# One key per service, set by its outbox relay: missing means Redis lost its data.
RELAY_EPOCH_KEY_PREFIX = f"{PREFIX}:relay-epoch:"


def consumer_name(explicit: str | None = None) -> str:
    """A consumer name unique to this process: the pod name (or host) plus pid."""
    if explicit:
        return explicit
    host = os.environ.get("POD_NAME") or os.environ.get("HOSTNAME") or socket.gethostname()
    return f"{host}-{os.getpid()}"
