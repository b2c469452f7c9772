"""Webhook subscribers: receivers registered through publish's push API (when it is there)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from wirestream.cli.dev import DEV_ADMIN_TOKEN

from .receivers import Behaviour, Receiver

ADMIN = {"Authorization": f"Bearer {DEV_ADMIN_TOKEN}"}
PUSH_PATH = "/v1/push/subscriptions"


@dataclass
class Subscriber:
    receiver: Receiver
    subscription_id: str
    token: str


async def subscribe(client: httpx.AsyncClient, publish_url: str,
                    behaviours: list[Behaviour]) -> list[Subscriber] | None:
    """Start a receiver per behaviour and subscribe it to published, updated and killed
    events; None when this publish has no push API yet."""
    out: list[Subscriber] = []
    for behaviour in behaviours:
        receiver = Receiver(behaviour).start()
        r = await client.post(publish_url + PUSH_PATH, headers=ADMIN,
                              json={"url": receiver.url, "description": behaviour})
        if r.status_code in (404, 405):
            receiver.stop()
            for s in out:
                s.receiver.stop()
            return None
        if r.status_code != 201:
            raise AssertionError(f"subscribing {behaviour}: {r.status_code} {r.text[:300]}")
        doc = r.json()
        receiver.secret = doc["secret"]
        out.append(Subscriber(receiver, doc["id"], doc["token"]))
    return out


async def disabled(client: httpx.AsyncClient, publish_url: str, sub: Subscriber) -> bool:
    r = await client.get(f"{publish_url}{PUSH_PATH}/{sub.subscription_id}", headers=ADMIN)
    return bool(r.status_code == 200 and r.json()["disabled"])
