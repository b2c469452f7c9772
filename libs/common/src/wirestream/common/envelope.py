"""The wire format of a stream entry.

Each entry carries ``__data__`` in FastStream's binary message format (V1), so
any FastStream subscriber — a downstream app's included — reads our events,
plus plain ``event_type`` and ``event_id`` fields for people and tools
reading the stream with ``XRANGE``. Packing and unpacking are done here
directly because they are on every message's path; ``test_envelope`` checks
the bytes against FastStream's own parser so the two cannot drift apart.
"""

from __future__ import annotations

from struct import pack, unpack_from

from faststream.redis.parser.binary import BinaryMessageFormatV1

from .events import Event

_MAGIC = BinaryMessageFormatV1.IDENTITY_HEADER
_VERSION = 1


def pack_envelope(payload: bytes, headers: dict[str, str]) -> bytes:
    """``payload`` with ``headers`` in FastStream's binary format V1."""
    parts = []
    for key, value in headers.items():
        for text in (key.encode(), value.encode()):
            parts.append(pack(">H", len(text)))
            parts.append(text)
    header_bytes = b"".join(parts)
    headers_start = len(_MAGIC) + 2 + 8
    data_start = headers_start + 2 + len(header_bytes)
    return b"".join((_MAGIC, pack(">HII", _VERSION, headers_start, data_start),
                     pack(">H", len(headers)), header_bytes, payload))


def unpack_envelope(data: bytes) -> tuple[bytes, dict[str, str]]:
    """The payload and headers of ``__data__``; other formats are handed to FastStream."""
    if data[:len(_MAGIC)] != _MAGIC or len(data) < len(_MAGIC) + 12:
        return BinaryMessageFormatV1.parse(data)
    _version, headers_start, data_start = unpack_from(">HII", data, len(_MAGIC))
    count = unpack_from(">H", data, headers_start)[0]
    offset, headers = headers_start + 2, {}
    for _ in range(count):
        (klen,) = unpack_from(">H", data, offset)
        key = data[offset + 2: offset + 2 + klen].decode()
        offset += 2 + klen
        (vlen,) = unpack_from(">H", data, offset)
        headers[key] = data[offset + 2: offset + 2 + vlen].decode()
        offset += 2 + vlen
    return data[data_start:], headers


def event_headers(event_type: str, correlation_id: str) -> dict[str, str]:
    return {"correlation_id": correlation_id, "content-type": "application/json",
            "event_type": event_type}


def encode_payload(payload_json: str | bytes, event_type: str, correlation_id: str) -> bytes:
    raw = payload_json.encode() if isinstance(payload_json, str) else payload_json
    return pack_envelope(raw, event_headers(event_type, correlation_id))


def entry_fields(event: Event) -> dict[str, bytes | str]:
    """The fields of the stream entry that carries ``event``."""
    return {"__data__": encode_payload(event.model_dump_json(), event.event_type,
                                       event.correlation_id),
            "event_type": event.event_type, "event_id": event.event_id}
