"""The bus: a FastStream Redis broker with Wirestream's delivery guarantees.

Every subscription is two FastStream subscribers on the same consumer group:

* a **reader** that takes new entries (``XREADGROUP >``) in batches, and
* a **claimer** (``min_idle_time``: ``XAUTOCLAIM``) that takes entries left
  pending longer than ``claim_idle_ms`` — by a handler that failed, or by a
  consumer that died mid-message — and delivers them again.

Failure semantics, the same for every service:

* the handler runs its unit of work and commits; only then is the entry acked;
* an entry whose event does not validate goes straight to the dead-letter
  stream (it can never succeed);
* a handler error leaves the entry pending; once Redis has delivered it
  ``max_deliveries`` times it goes to the dead-letter stream with the error,
  atomically with its XACK, and the stream keeps flowing;
* except when the error is an outage of a backing service (the database or
  Redis unreachable, see :func:`is_outage`): that is no fault of the entry, so
  it stays pending and is retried for as long as the outage lasts;
* a failed batch is retried entry by entry at once, so one poison entry does
  not hold back the rest of its batch.

Groups are created at the start of their stream (FastStream's default is its
end), so an entry added before a consumer first starts, or added again after
Redis lost its data, is never skipped; the inbox drops what was handled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from struct import error as StructError
from typing import Any

from faststream import AckPolicy
from faststream.exceptions import NackMessage
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.message import RedisBatchStreamMessage, RedisStreamMessage
from faststream.redis.prometheus import RedisPrometheusMiddleware
from pydantic import TypeAdapter, ValidationError
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from . import faststream_fixes
from .cancel import reraise_if_cancelling
from .envelope import entry_fields, unpack_envelope
from .events import Event, utcnow
from .logs import correlation_id
from .metrics import Metrics
from .settings import ServiceSettings
from .streams import DEAD_LETTERS, consumer_name

log = logging.getLogger(__name__)

Handler = Callable[[list[Any]], Awaitable[None]]


# OSErrors that are about files, which an entry can name: those are its own fault.
_FILE_ERRORS = (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError,
                PermissionError)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says a backing service is unreachable, not that the entry is bad.

    Connection failures surface as SQLAlchemy's OperationalError/InterfaceError, as an
    invalidated connection, as Redis connection errors, or (from asyncpg while it
    connects) as a bare ``OSError``/``TimeoutError``.
    """
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OSError) and not isinstance(exc, _FILE_ERRORS):
        return True
    return isinstance(exc, TimeoutError | OperationalError | InterfaceError
                      | RedisConnectionError | RedisTimeoutError)


@dataclass(frozen=True)
class _Entry:
    message_id: bytes
    fields: dict[bytes, bytes]


@dataclass
class Subscription:
    """A handler bound to a stream and consumer group, with its delivery policy."""

    stream: str
    group: str
    adapter: TypeAdapter[Any]
    handler: Handler
    bus: Bus
    # ``event_type`` field values acked without being decoded: events of the stream this
    # group has no use for (an entry without that field, or with another value, is decoded).
    ignored: frozenset[bytes] = frozenset()

    async def parse(self, raw: Any, _default: Any) -> RedisStreamMessage | RedisBatchStreamMessage:
        """Wrap the raw entries as they are; :meth:`_validate` decodes each one once."""
        cls = RedisBatchStreamMessage if raw.get("type") == "bstream" else RedisStreamMessage
        return cls(raw_message=raw, body=b"", consumer=self.bus.redis, group=self.group)

    async def decode(self, message: Any, _default: Any) -> Any:
        """The raw entries, as the handlers' one argument. (Taking the message from
        FastStream's context instead, ``Context("message")``, resolved it with a sync
        call that fast_depends runs in a worker thread: a thread hop per read.)"""
        return message.raw_message

    async def on_batch(self, raw: Any) -> None:
        await self._deliver([_Entry(mid, fields) for mid, fields
                             in zip(raw["message_ids"], raw["data"], strict=True)])

    async def on_claimed(self, raw: Any) -> None:
        await self._deliver([_Entry(raw["message_ids"][0], raw["data"])])

    def _validate(self, entry: _Entry) -> Event:
        data = entry.fields.get(b"__data__")
        if data is None:  # not one of ours: validate the bare fields (and most likely fail)
            return self.adapter.validate_python(
                {k.decode(errors="replace"): v.decode(errors="replace")
                 for k, v in entry.fields.items()})
        try:
            payload, _headers = unpack_envelope(data)
        except (StructError, UnicodeDecodeError, ValueError, KeyError) as exc:
            payload = repr(exc).encode()  # fails validation below, with the reason
        return self.adapter.validate_json(payload)

    async def _deliver(self, entries: Sequence[_Entry]) -> None:
        # FastStream gives each subscriber 3 s to start; a backlog handled by the first
        # one must not eat the next one's time (a loaded machine then fails start-up).
        await self.bus.started.wait()
        m = self.bus.metrics
        valid: list[tuple[_Entry, Event]] = []
        for entry in entries:
            if self.ignored and entry.fields.get(b"event_type") in self.ignored:
                m.events_handled.labels(self.stream, self.group, "ignored").inc()
                continue
            try:
                valid.append((entry, self._validate(entry)))
            except ValidationError as exc:
                await self.bus.dead_letter(self, entry, reason="invalid", error=str(exc),
                                           deliveries=await self._deliveries(entry))
        if not valid:
            return
        started = time.perf_counter()
        try:
            await self._call([event for _, event in valid])
        except Exception as exc:  # every handler failure takes the retry path
            if len(valid) == 1:
                await self._failed(valid[0][0], exc)
                raise NackMessage() from exc
            # Retry one by one so a poison entry does not hold back its batch.
            for entry, event in valid:
                try:
                    await self._call([event])
                except Exception as one_exc:
                    await self._failed(entry, one_exc)
                else:
                    await self.bus.redis.xack(self.stream, self.group, entry.message_id)
                    m.events_handled.labels(self.stream, self.group, "ok").inc()
            raise NackMessage() from exc
        finally:
            m.handler_seconds.labels(self.stream, self.group).observe(
                time.perf_counter() - started
            )
        m.events_handled.labels(self.stream, self.group, "ok").inc(len(valid))

    async def _call(self, events: list[Event]) -> None:
        token = correlation_id.set(events[0].correlation_id if len(events) == 1 else None)
        try:
            await self.handler(events)
        finally:
            correlation_id.reset(token)

    async def _deliveries(self, entry: _Entry) -> int:
        pending = await self.bus.redis.xpending_range(
            self.stream, self.group, min=entry.message_id, max=entry.message_id, count=1
        )
        return int(pending[0]["times_delivered"]) if pending else 1

    async def _failed(self, entry: _Entry, exc: BaseException) -> None:
        deliveries = await self._deliveries(entry)
        if deliveries >= self.bus.settings.max_deliveries and not is_outage(exc):
            await self.bus.dead_letter(self, entry, reason="max-deliveries",
                                       error=repr(exc), deliveries=deliveries)
            return
        self.bus.metrics.events_handled.labels(self.stream, self.group, "retry").inc()
        log.warning(
            "handler failed; entry stays pending and will be claimed again",
            exc_info=exc,
            extra={"stream": self.stream, "group": self.group,
                   "message_id": entry.message_id.decode(), "deliveries": deliveries},
        )


def _describe(adapter: TypeAdapter[Any]) -> str:
    schema = adapter.json_schema()
    names = [ref.rsplit("/", 1)[-1] for ref in _refs(schema)]
    return ", ".join(names) or schema.get("title", "events")


def _refs(schema: dict[str, Any]) -> list[str]:
    options = schema.get("oneOf") or schema.get("anyOf") or []
    refs = [o["$ref"] for o in options if "$ref" in o]
    return refs or ([schema["$ref"]] if "$ref" in schema else [])


class Bus:
    """The broker plus the Redis client the delivery policy needs, for one service."""

    def __init__(self, settings: ServiceSettings, *, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.consumer = consumer_name(settings.consumer_name)
        faststream_fixes.install()
        self.broker = RedisBroker(
            settings.redis_url,
            graceful_timeout=settings.graceful_timeout_s,
            middlewares=[RedisPrometheusMiddleware(registry=metrics.registry)],
            logger=logging.getLogger(f"wirestream.{settings.service_name}.bus"),
        )
        self.redis: Redis = Redis.from_url(settings.redis_url)
        self.subscriptions: list[Subscription] = []
        self._stopping = False
        self.started = asyncio.Event()  # set once every subscriber has started

    def subscribe(self, *, stream: str, group: str, adapter: TypeAdapter[Any],
                  handler: Handler, batch_size: int | None = None,
                  ignore: Iterable[type[Event]] = ()) -> Subscription:
        """Deliver events from ``stream`` to ``handler`` as consumer group ``group``.

        ``handler`` receives a list of validated events and must do its work in
        one committed unit (and skip event ids it has seen, see
        :meth:`wirestream.common.outbox.Transaction.fresh`). Events of the ``ignore``
        types are acked unread (their payload is never decoded).
        """
        ignored = frozenset(str(cls.model_fields["event_type"].default).encode()
                            for cls in ignore)
        sub = Subscription(stream=stream, group=group, adapter=adapter, handler=handler,
                           bus=self, ignored=ignored)
        s = self.settings
        title = f"{group}:{stream}"
        reader = self.broker.subscriber(
            stream=StreamSub(stream, group=group, consumer=self.consumer, batch=True,
                             max_records=batch_size or s.batch_size,
                             polling_interval=s.polling_interval_ms),
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=f"{title}:read",
            description=f"Reads {_describe(adapter)} in batches as consumer group {group!r}.",
        )
        claimer = self.broker.subscriber(
            stream=StreamSub(stream, group=group, consumer=self.consumer,
                             min_idle_time=s.claim_idle_ms,
                             polling_interval=max(s.polling_interval_ms, s.claim_idle_ms // 4)),
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=f"{title}:claim",
            description=f"Claims entries of group {group!r} left pending over "
                        f"{s.claim_idle_ms} ms (failed or dead consumers).",
        )
        reader(sub.on_batch, parser=sub.parse, decoder=sub.decode)
        claimer(sub.on_claimed, parser=sub.parse, decoder=sub.decode)
        self.subscriptions.append(sub)
        return sub

    async def dead_letter(self, sub: Subscription, entry: _Entry, *, reason: str, error: str,
                          deliveries: int) -> None:
        """Move one entry to the dead-letter stream and ack it, in one MULTI."""
        data = entry.fields.get(b"__data__")
        if data is None:
            data = json.dumps({k.decode(errors="replace"): v.decode(errors="replace")
                               for k, v in entry.fields.items()}).encode()
        pipe = self.redis.pipeline(transaction=True)
        pipe.xadd(DEAD_LETTERS, {
            "stream": sub.stream,
            "group": sub.group,
            "message_id": entry.message_id,
            "data": data,
            "reason": reason,
            "error": error[:4000],
            "deliveries": deliveries,
            "consumer": self.consumer,
            "failed_at": utcnow().isoformat(),
        })
        pipe.xack(sub.stream, sub.group, entry.message_id)
        await pipe.execute()
        self.metrics.dead_letters.labels(sub.stream, sub.group, reason).inc()
        self.metrics.events_handled.labels(sub.stream, sub.group, "dead_letter").inc()
        log.error("entry dead-lettered", extra={
            "stream": sub.stream, "group": sub.group, "reason": reason,
            "message_id": entry.message_id.decode(), "deliveries": deliveries, "error": error,
        })

    async def start(self) -> None:
        self._stopping = False
        for sub in self.subscriptions:
            await self._ensure_group(sub.stream, sub.group)
        await self.broker.start()
        self.started.set()

    async def _ensure_group(self, stream: str, group: str) -> None:
        try:
            await self.redis.xgroup_create(stream, group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def stop(self) -> None:
        self._stopping = True
        await self.broker.stop()
        await self.redis.aclose()

    async def supervise(self, interval_s: float = 1.0) -> None:
        """Restart subscribers that stopped because their consumer group vanished.

        FastStream stops a subscriber for good on ``NOGROUP`` (Redis restarted
        empty, or the stream was deleted), and nothing would consume again until
        the process restarts. Here the group is recreated at the start of the new
        stream, so entries added since the loss are not skipped, and the
        subscriber is started again. Runs until cancelled.
        """
        while True:
            await asyncio.sleep(interval_s)
            for sub in self.broker.subscribers:
                if self._stopping or sub.running:
                    continue
                try:
                    await self._revive(sub)
                except (RedisError, OSError) as exc:  # Redis still away: next round
                    reraise_if_cancelling()
                    log.warning("could not restart subscriber", extra={"error": repr(exc)})

    async def _revive(self, sub: Any) -> None:
        stream = sub.stream_sub
        await self._ensure_group(stream.name, stream.group)
        if hasattr(sub, "autoclaim_start_id"):
            sub.autoclaim_start_id = b"0-0"
        await sub.start()
        self.metrics.subscriber_restarts.labels(stream.name, stream.group).inc()
        log.warning("consumer group recreated and subscriber restarted",
                    extra={"stream": stream.name, "group": stream.group})

    def healthy(self) -> bool:
        """False once a subscriber stopped for good (e.g. its consumer group vanished)."""
        return all(s.running for s in self.broker.subscribers)

    async def publish(self, stream: str, event: Event) -> None:
        """Publish straight to a stream, outside any transaction (tests, tools, benches).

        Services publish through their outbox instead, so an event is never
        published for work that did not commit.
        """
        await self.publish_many(stream, [event])

    async def publish_many(self, stream: str, events: Sequence[Event]) -> None:
        """Publish several events in one pipelined round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for event in events:
            pipe.xadd(stream, entry_fields(event))
        await pipe.execute()
