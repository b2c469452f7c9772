"""Whatever arrives, parse_wire returns Articles or raises FormatError: nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirestream.common.events import Article
from wirestream.ingest.formats import FormatError, parse_wire

CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/xml",
        "application/octet-stream",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "application/nitf+xml",
        "application/vnd.iptc.g2.newsitem+xml",
        "text/html",
    ]
)
MAX_BYTES = 4096
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "uri",
                    "version",
                    "headline",
                    "headlines",
                    "value",
                    "role",
                    "bodies",
                    "body_html",
                    "body_text",
                    "contentType",
                    "urgency",
                    "pubStatus",
                    "versionCreated",
                    "language",
                    "associations",
                    "renditions",
                    "href",
                    "width",
                    "type",
                    "subjects",
                    "name",
                    "signal",
                    "edNote",
                    "embargoed",
                    "places",
                    "infoSources",
                    "descriptions",
                    "by",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)
ninjs_like = st.fixed_dictionaries(
    {"uri": st.text(max_size=30), "headline": st.text(max_size=30)}, optional={"x": json_values}
)

_TAGS = (
    "newsItem nitf rss channel item title guid feed entry head docdata doc-id body body.head "
    "hedline hl1 body.content p headline contentMeta itemMeta contentSet inlineXML link id"
).split()
_ATTRS = [
    "guid",
    "version",
    "id-string",
    "qcode",
    "href",
    "url",
    "type",
    "norm",
    "ed-urg",
    "xml:lang",
]


@st.composite
def xml_documents(draw: st.DrawFn) -> bytes:
    def element(depth: int) -> str:
        tag = draw(st.sampled_from(_TAGS))
        attrs = "".join(
            f' {name}="{draw(st.text(alphabet="ab1:-T/Z ", max_size=8))}"'
            for name in draw(st.lists(st.sampled_from(_ATTRS), max_size=2, unique=True))
        )
        inner = (
            draw(st.text(alphabet="abc <>&;ي\n", max_size=10))
            .replace("<", "&lt;")
            .replace("&", "&amp;")
        )
        if depth < 4:
            inner += "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3))))
        return f"<{tag}{attrs}>{inner}</{tag}>"

    root = draw(st.sampled_from(["newsItem", "nitf", "rss", "feed", "newsMessage", "entry"]))
    ns = {
        "newsItem": ' xmlns="http://iptc.org/std/nar/2006-10-01/"',
        "newsMessage": ' xmlns="http://iptc.org/std/nar/2006-10-01/"',
        "feed": ' xmlns="http://www.w3.org/2005/Atom"',
        "entry": ' xmlns="http://www.w3.org/2005/Atom"',
    }.get(root, "")
    children = "".join(element(1) for _ in range(draw(st.integers(0, 4))))
    return f"<{root}{ns}>{children}</{root}>".encode()


def _check(body: bytes, content_type: str | None) -> None:
    try:
        articles = parse_wire(body, content_type, agency="wna", max_items=20, max_bytes=MAX_BYTES)
    except FormatError as error:
        assert error.status in (400, 413, 415, 422)
        assert error.type and error.title and error.detail
        return
    assert isinstance(articles, list)
    for article in articles:
        assert isinstance(article, Article)
        article.model_dump_json()  # everything we return can go on the bus


@SETTINGS
@given(st.binary(max_size=MAX_BYTES + 64), CONTENT_TYPES)
def test_arbitrary_bytes(body, content_type):
    _check(body, content_type)


@SETTINGS
@given(json_values | ninjs_like | st.lists(ninjs_like, max_size=3), CONTENT_TYPES)
def test_arbitrary_json(value, content_type):
    _check(json.dumps(value).encode(), content_type)


@SETTINGS
@given(xml_documents(), CONTENT_TYPES)
def test_arbitrary_xml(body, content_type):
    _check(body, content_type)


@SETTINGS
@given(st.data())
def test_mutated_samples(data):
    samples = sorted(SAMPLES.glob("*.*"))
    body = bytearray(data.draw(st.sampled_from(samples)).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(body) - 1))
        body[position] = data.draw(st.integers(0, 255))
    _check(bytes(body), data.draw(CONTENT_TYPES))


@SETTINGS
@given(st.data())
def test_ninjs_samples_with_fields_replaced(data):
    """Real ninjs with random values put where the agency's fields were."""
    doc = json.loads(data.draw(st.sampled_from(sorted(SAMPLES.glob("ninjs*.json")))).read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        target: Any = doc
        while data.draw(st.booleans()):
            keys = sorted(target) if isinstance(target, dict) else range(len(target))
            if not keys:
                break
            key = data.draw(st.sampled_from(list(keys)))
            if not isinstance(target[key], dict | list):
                break
            target = target[key]
        if isinstance(target, dict) and target:
            target[data.draw(st.sampled_from(sorted(target)))] = data.draw(json_values)
        elif isinstance(target, list) and target:
            target[data.draw(st.integers(0, len(target) - 1))] = data.draw(json_values)
    _check(json.dumps(doc).encode(), "application/json")
