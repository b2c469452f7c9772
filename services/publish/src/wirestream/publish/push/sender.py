"""One delivery attempt over HTTP: sign or encrypt, POST, classify the answer."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

import aiohttp

from wirestream.common.webhooks import sign_headers

from .clients import OriginClients
from .ssrf import Guard, Refused
from .webpush import VapidSigner, encrypt

Outcome = Literal["ok", "retry", "failed", "gone", "refused"]


@dataclass(frozen=True)
class Job:
    """What one attempt needs: the delivery (its id is the webhook-id), target and message."""

    delivery_id: str
    channel: str  # webhook | webpush
    target_id: str
    url: str
    body: str
    attempts: int = 0
    give_up_after: int = 1
    secret: str = ""
    p256dh: str = ""
    auth: str = ""
    urgency: int | None = None
    topic: str | None = None


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    status_code: int | None = None
    error: str | None = None
    retry_after_s: float | None = None


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when.astimezone(UTC) - now).total_seconds())


def backoff(attempt: int, *, base: float, factor: float, cap: float,
            rng: random.Random | None = None) -> float:
    """Full jitter: uniform in [0, min(cap, base * factor ** (attempt - 1))]."""
    ceiling = min(cap, base * factor ** max(0, attempt - 1))
    return (rng or random).uniform(0, ceiling)


def classify(channel: str, status: int, headers: Mapping[str, str]) -> Result:
    """Webhooks retry every failure but 410; push services also mean it on 4xx."""
    if 200 <= status < 300:
        return Result("ok", status)
    if status == 410 or (channel == "webpush" and status == 404):
        return Result("gone", status)
    if status in (429, 503):
        after = retry_after(headers.get("retry-after"), datetime.now(UTC))
        return Result("retry", status, f"HTTP {status}", after)
    if channel == "webpush" and 400 <= status < 500 and status != 408:
        return Result("failed", status, f"HTTP {status}")
    return Result("retry", status, f"HTTP {status}")


class Sender:
    """The delivery HTTP client (guarded, no redirects, bounded per origin) and the signers."""

    def __init__(self, guard: Guard, *, vapid: VapidSigner | None, connect_timeout_s: float,
                 timeout_s: float, per_origin: int) -> None:
        self.vapid = vapid
        self.timeout_s = timeout_s + connect_timeout_s
        self.clients = OriginClients(guard, per_origin=per_origin, timeout_s=timeout_s,
                                     connect_timeout_s=connect_timeout_s)

    async def aclose(self) -> None:
        await self.clients.aclose()

    def request(self, job: Job) -> tuple[bytes, dict[str, str]]:
        if job.channel == "webhook":
            headers = sign_headers(job.secret, job.body, msg_id=job.delivery_id)
            headers["Content-Type"] = "application/json"
            return job.body.encode(), headers
        if self.vapid is None:
            raise Refused("Web Push is not configured (no VAPID key)")
        content = encrypt(job.body.encode(), p256dh=job.p256dh, auth=job.auth)
        return content, self.vapid.headers(job.url, urgency=job.urgency, topic=job.topic)

    async def send(self, job: Job) -> Result:
        try:
            content, headers = self.request(job)
            async with asyncio.timeout(self.timeout_s):
                return await self._post(job, content, headers)
        except Refused as exc:
            return Result("refused", error=str(exc))
        except TimeoutError:
            return Result("retry", error="timed out")
        except (aiohttp.ClientError, OSError) as exc:
            return Result("retry", error=f"{type(exc).__name__}: {exc}"[:500])

    async def _post(self, job: Job, content: bytes, headers: dict[str, str]) -> Result:
        status, answer = await self.clients.post(job.url, content, headers)
        return classify(job.channel, status, answer)
