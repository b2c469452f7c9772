"""Whatever a validly signed agency sends, the answer is 2xx or 4xx, never 5xx."""

from __future__ import annotations

import json
from datetime import UTC
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirestream.common.problems import PROBLEM_JSON

from .conftest import Ingest

pytestmark = pytest.mark.postgres

text = st.text(max_size=40)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=16)
dates = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()) | text
ninjs_items = st.fixed_dictionaries({}, optional={
    "uri": st.sampled_from(["urn:p:1", "urn:p:2"]) | text | json_values,
    "headline": text | json_values,
    "headlines": st.lists(st.fixed_dictionaries({"value": text}, optional={"role": text})),
    "version": st.integers() | st.sampled_from(["1", "2", "x"]) | json_values,
    "pubStatus": st.sampled_from(["usable", "withheld", "canceled", "stat:canceled"]) | text,
    "embargoed": dates,
    "versionCreated": dates,
    "language": st.sampled_from(["en", "ar", "en_GB"]) | text,
    "body_html": text.map(lambda t: f"<p>{t}</p><script>{t}</script>"),
    "bodies": json_values,
    "descriptions": json_values,
    "subjects": json_values,
    "associations": json_values,
    "renditions": json_values,
    "urgency": st.integers() | json_values,
    "edNote": text,
})
# Items that mostly pass validation, so acceptance, versions and kills are exercised too.
plausible_items = st.fixed_dictionaries({
    "uri": st.sampled_from(["urn:p:1", "urn:p:2", "urn:p:3"]),
    "headline": st.text(min_size=1, max_size=30).filter(str.strip),
}, optional={
    "version": st.integers(min_value=0, max_value=2**31 - 1),
    "pubStatus": st.sampled_from(["usable", "withheld", "canceled"]),
    "embargoed": st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
    "language": st.sampled_from(["en", "ar", "fr-CA"]),
    "body_html": text.map(lambda t: f"<p onclick='x()'>{escape(t)}</p><script>x()</script>"),
    "edNote": st.sampled_from(["Correction: name", "تصحيح", "note"]),
    "urgency": st.integers(min_value=1, max_value=9),
})
json_documents = st.one_of(json_values, ninjs_items, plausible_items, plausible_items,
                           st.lists(ninjs_items, max_size=3)).map(
    lambda doc: json.dumps(doc, ensure_ascii=False))

TAGS = ["rss", "channel", "item", "title", "guid", "link", "description", "pubDate", "feed",
        "entry", "id", "updated", "content", "summary", "nitf", "head", "docdata", "doc-id",
        "body", "body.head", "hedline", "hl1", "body.content", "p", "newsItem", "itemMeta",
        "pubStatus", "contentMeta", "headline", "contentSet", "inlineXML", "html", "x"]
ATTRS = ["version", "guid", "id-string", "qcode", "href", "type", "xml:lang", "rel",
         "embargo", "norm", "url", "medium"]
NAMESPACES = ["", ' xmlns="http://www.w3.org/2005/Atom"',
              ' xmlns="http://iptc.org/std/nar/2006-10-01/"']
xml_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attrs = st.dictionaries(st.sampled_from(ATTRS), xml_text, max_size=3).map(
        lambda a: "".join(f" {k}={quoteattr(v)}" for k, v in a.items()))
    return st.builds(lambda tag, a, body: f"<{tag}{a}>{body}</{tag}>",
                     st.sampled_from(TAGS), attrs,
                     st.lists(children, max_size=4).map("".join))


xml_nodes = st.recursive(xml_text.map(escape), _element, max_leaves=20)
rss_items = st.builds(
    lambda guid, title, desc: f"<item><guid>{escape(guid)}</guid><title>{escape(title)}</title>"
                              f"<description>{escape(desc)}</description></item>",
    st.sampled_from(["g1", "g2", "g3"]) | xml_text, xml_text, xml_text)
xml_documents = st.one_of(
    st.lists(rss_items, max_size=4).map(
        lambda items: f'<rss version="2.0"><channel>{"".join(items)}</channel></rss>'),
    st.builds(lambda ns, tag, body: f'<?xml version="1.0"?><{tag}{ns}>{body}</{tag}>',
              st.sampled_from(NAMESPACES), st.sampled_from(TAGS),
              st.lists(xml_nodes, max_size=4).map("".join)),
    xml_text.map(lambda t: "<" + t),
)
documents = st.one_of(
    st.tuples(json_documents, st.sampled_from(["application/json", "application/ninjs+json",
                                               "text/plain", None])),
    st.tuples(xml_documents, st.sampled_from(["application/xml", "application/rss+xml",
                                              "application/atom+xml", "text/xml", None])),
)


@pytest.fixture
async def wire(ingest: Ingest) -> tuple[Ingest, str, str]:
    agency, secret = await ingest.add_agency(default_language="en")
    return ingest, agency, secret


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(document=documents)
async def test_signed_garbage_is_never_a_server_error(
        wire: tuple[Ingest, str, str], document: tuple[str, str | None]) -> None:
    ingest, agency, secret = wire
    body, content_type = document
    r = await ingest.send(agency, secret, body.encode(), content_type)
    assert r.status_code < 500, (r.status_code, r.text)
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith(PROBLEM_JSON)
    else:
        assert r.status_code == 202 and "items" in r.json()
