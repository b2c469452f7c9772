"""Listing and replaying dead letters (the ``wirestream deadletter`` commands)."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from .streams import DEAD_LETTERS


@dataclass(frozen=True)
class DeadLetter:
    id: str
    stream: str
    group: str
    message_id: str
    reason: str
    error: str
    deliveries: int
    failed_at: str
    data: bytes


def _s(value: bytes | None) -> str:
    return value.decode(errors="replace") if value else ""


async def list_dead_letters(redis: Redis, *, count: int = 100) -> list[DeadLetter]:
    """The oldest ``count`` dead letters."""
    out = []
    for entry_id, f in await redis.xrange(DEAD_LETTERS, count=count):
        out.append(DeadLetter(
            id=_s(entry_id), stream=_s(f.get(b"stream")), group=_s(f.get(b"group")),
            message_id=_s(f.get(b"message_id")), reason=_s(f.get(b"reason")),
            error=_s(f.get(b"error")), deliveries=int(f.get(b"deliveries") or 0),
            failed_at=_s(f.get(b"failed_at")), data=f.get(b"data") or b"",
        ))
    return out


async def replay(redis: Redis, ids: list[str] | None = None) -> list[str]:
    """Put dead letters back on their original stream (all when ``ids`` is None).

    The entry keeps its event id, so consumer groups that already handled it
    skip it; the dead letter is removed in the same MULTI as the re-add.
    """
    letters = await list_dead_letters(redis, count=10_000)
    chosen = [d for d in letters if ids is None or d.id in ids]
    replayed = []
    for d in chosen:
        pipe = redis.pipeline(transaction=True)
        pipe.xadd(d.stream, {"__data__": d.data, "replayed_from": d.id})
        pipe.xdel(DEAD_LETTERS, d.id)
        await pipe.execute()
        replayed.append(d.id)
    return replayed
