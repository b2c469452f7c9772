"""The catalogue of Wirestream's own metrics, each with its help text.

Metrics are created per registry (``Metrics(registry)``) inside ``create_app``,
so tests can build several apps in one process without name clashes.
FastStream's own ``faststream_*`` metrics come from ``RedisPrometheusMiddleware``
on the same registry.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    """Every custom metric, registered on one registry."""

    def __init__(self, registry: CollectorRegistry, service: str) -> None:
        self.registry = registry
        self.service = service
        labels = {"registry": registry}
        self.events_handled = Counter(
            "wirestream_events_handled_total",
            "Events a consumer group finished with, by outcome "
            "(ok, duplicate, retry, dead_letter).",
            ["stream", "group", "outcome"],
            **labels,
        )
        self.handler_seconds = Histogram(
            "wirestream_handler_seconds",
            "Time a handler took for one delivery (a batch counts once).",
            ["stream", "group"],
            buckets=LATENCY_BUCKETS,
            **labels,
        )
        self.dead_letters = Counter(
            "wirestream_dead_letters_total",
            "Messages moved to the dead-letter stream after too many deliveries or invalid.",
            ["stream", "group", "reason"],
            **labels,
        )
        self.subscriber_restarts = Counter(
            "wirestream_subscriber_restarts_total",
            "Subscribers restarted after their consumer group vanished (Redis lost its data).",
            ["stream", "group"],
            **labels,
        )
        self.outbox_relayed = Counter(
            "wirestream_outbox_relayed_total",
            "Outbox rows published to their stream by the relay.",
            ["stream"],
            **labels,
        )
        self.outbox_backlog = Gauge(
            "wirestream_outbox_backlog",
            "Outbox rows committed but not yet published to Redis.",
            **labels,
        )
        self.stream_length = Gauge(
            "wirestream_stream_length",
            "Entries in a stream (sampled by the trimmer).",
            ["stream"],
            **labels,
        )
        self.consumer_lag = Gauge(
            "wirestream_consumer_lag",
            "Entries a consumer group has not yet read (XINFO GROUPS lag).",
            ["stream", "group"],
            **labels,
        )
        self.consumer_pending = Gauge(
            "wirestream_consumer_pending",
            "Entries delivered to a consumer group but not yet acknowledged.",
            ["stream", "group"],
            **labels,
        )
        self.http_refusals = Counter(
            "wirestream_http_refusals_total",
            "Client requests refused with a 4xx problem response, by status and type.",
            ["status", "type"],
            **labels,
        )
        self.webhooks_accepted = Counter(
            "wirestream_webhooks_accepted_total",
            "Wire items ingest accepted (202), by agency and outcome "
            "(new, update, duplicate, stale, killed).",
            ["agency", "outcome"],
            **labels,
        )
        self.pages_rendered = Counter(
            "wirestream_pages_rendered_total",
            "Pages publish rendered, by page kind.",
            ["kind"],
            **labels,
        )
        self.deliveries = Counter(
            "wirestream_deliveries_total",
            "Push deliveries to subscribers, by channel and outcome.",
            ["channel", "outcome"],
            **labels,
        )
        self.translations = Counter(
            "wirestream_translations_total",
            "Machine-translation attempts, by engine and outcome (ok, retry, failed).",
            ["engine", "outcome"],
            **labels,
        )
        self.comments = Counter(
            "wirestream_comments_total",
            "Comments received, by moderation status.",
            ["status"],
            **labels,
        )
        self.comments_pending = Gauge(
            "wirestream_comments_pending",
            "Comments awaiting moderation.",
            **labels,
        )
