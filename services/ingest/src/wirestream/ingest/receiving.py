"""Receiving one signed webhook: who sent it, what it carries, was it seen before."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from wirestream.common.events import Article
from wirestream.common.webhooks import verify

from .batching import BatchFailed, GroupCommit, Receipt, response_for
from .formats import FormatError
from .keys import AgencyKeyCache
from .models import WebhookReceipt
from .parsing import Parser
from .service import accept_all
from .writes import Writes

MAX_WEBHOOK_ID = 200  # the width of webhook_receipts.webhook_id


class SignatureRefused(Exception):
    """The delivery is not provably from an active agency (answered with a 401)."""


class BadWebhookId(Exception):
    """A correctly signed delivery whose ``webhook-id`` we cannot store (a 400)."""


class ConcurrentUpdate(Exception):
    """Another delivery was changing the same item at the same time (worth a retry)."""


@dataclass(frozen=True)
class Delivery:
    agency: str
    body: bytes
    text: str
    headers: Mapping[str, str]
    content_type: str | None

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")


def _fresh(headers: Mapping[str, str], now: datetime, tolerance_s: int) -> bool:
    try:
        sent = int(headers.get("webhook-timestamp", ""))
    except ValueError:
        return False
    return abs(now.timestamp() - sent) <= tolerance_s


async def receive(delivery: Delivery, *, keys: AgencyKeyCache, group: GroupCommit,
                  parser: Parser, now: datetime, max_bytes: int, tolerance_s: int) -> Receipt:
    """Verify a delivery, parse it, and accept its items with a receipt for its ``webhook-id``.

    The signature is checked against every active secret of the agency (so a
    key can rotate without downtime); the document is parsed before any
    transaction opens (off the event loop when it is large), and accepted in a
    group commit with the deliveries that arrive with it. A ``webhook-id`` seen
    before is answered as it was the first time and changes nothing. Raises
    :class:`SignatureRefused`, :class:`BadWebhookId`, ``FormatError`` or
    :class:`ConcurrentUpdate`.
    """
    agency = await keys.get(delivery.agency)
    if agency is None:
        raise SignatureRefused("Unknown or disabled agency.")
    if not _fresh(delivery.headers, now, tolerance_s):
        raise SignatureRefused("Missing or stale webhook-timestamp.")
    if not verify(agency.secrets, delivery.text, delivery.headers):
        raise SignatureRefused("Missing, stale or wrong webhook signature.")
    if len(delivery.webhook_id) > MAX_WEBHOOK_ID:
        raise BadWebhookId(f"webhook-id is longer than {MAX_WEBHOOK_ID} characters.")
    try:
        articles = await parser.parse(delivery.body, delivery.content_type,
                                      agency=agency.name,
                                      default_language=agency.default_language,
                                      max_bytes=max_bytes)
    except FormatError:
        # The id is the idempotency key: a replay is answered as before, whatever it carries.
        earlier = await earlier_answer(group.writes, delivery)
        if earlier is not None:
            return earlier
        raise
    try:
        return await group.submit(agency.name, delivery.webhook_id, articles, now)
    except BatchFailed:
        return await _alone(delivery, articles, writes=group.writes, now=now)


async def _alone(delivery: Delivery, articles: list[Article], *, writes: Writes,
                 now: datetime) -> Receipt:
    """Accept one delivery in a transaction of its own (when its batch could not commit)."""
    try:
        async with writes.transaction() as tx:
            results = await accept_all(tx, articles, now=now)
            response = response_for(results)
            tx.session.add(WebhookReceipt(agency=delivery.agency,
                                          webhook_id=delivery.webhook_id,
                                          response=response, received_at=now))
    except IntegrityError:
        # A receipt for this id exists (a replay, or a concurrent duplicate that won),
        # or a concurrent delivery created the same item first.
        earlier = await earlier_answer(writes, delivery)
        if earlier is None:
            raise ConcurrentUpdate() from None
        return earlier
    return Receipt(response, results)


async def earlier_answer(writes: Writes, delivery: Delivery) -> Receipt | None:
    """The recorded answer to the delivery's ``webhook-id``, if it was accepted before."""
    async with writes.relay.sessions() as session:
        receipt = await session.get(WebhookReceipt, (delivery.agency, delivery.webhook_id))
    return Receipt(receipt.response, replayed=True) if receipt is not None else None
