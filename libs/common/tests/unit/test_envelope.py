"""Our stream-entry envelope is FastStream's binary format, byte for byte compatible."""

from __future__ import annotations

import json

from faststream.redis.parser.binary import BinaryMessageFormatV1
from hypothesis import given
from hypothesis import strategies as st

from wirestream.common.envelope import entry_fields, pack_envelope, unpack_envelope
from wirestream.common.events import ANY_EVENT
from wirestream.common.testing import make_comment, make_ingested

header_text = st.text(min_size=0, max_size=40)


@given(payload=st.binary(max_size=500), headers=st.dictionaries(header_text, header_text,
                                                                 max_size=5))
def test_faststream_reads_what_we_pack(payload: bytes, headers: dict[str, str]) -> None:
    body, parsed = BinaryMessageFormatV1.parse(pack_envelope(payload, headers))
    assert body == payload
    assert parsed == headers


async def test_we_read_what_faststream_packs() -> None:
    data = await BinaryMessageFormatV1.encode(
        message={"a": "مرحبا"}, reply_to=None, headers={"x": "1"}, correlation_id="c1")
    body, headers = unpack_envelope(data)
    assert json.loads(body) == {"a": "مرحبا"}
    assert headers["x"] == "1" and headers["correlation_id"] == "c1"


def test_legacy_json_envelopes_still_decode() -> None:
    legacy = json.dumps({"data": '{"k": 1}', "headers": {"correlation_id": "c"}}).encode()
    body, headers = unpack_envelope(legacy)
    assert json.loads(body) == {"k": 1} and headers == {"correlation_id": "c"}


def test_entry_round_trips_every_event_type() -> None:
    for event in (make_comment(body="تعليق"), make_ingested(language="ar")):
        fields = entry_fields(event)
        payload, headers = unpack_envelope(fields["__data__"])  # type: ignore[arg-type]
        assert ANY_EVENT.validate_json(payload) == event
        assert headers["event_type"] == event.event_type == fields["event_type"]
        assert headers["correlation_id"] == event.correlation_id
