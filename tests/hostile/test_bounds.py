"""Parsers and the comment renderer under worst-case and random input: no crash, bounded
time, bounded memory.

The worst cases (``worst_cases.py``, each just under its size limit) run in a child
process with a 3 GiB address-space limit and a CPU limit (``bounded_child.py``);
random input runs here, each example timed.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirestream.comments.moderation import CommentCandidate, ModerationConfig, moderate
from wirestream.comments.text import count_links, render_comment
from wirestream.ingest.formats import FormatError, parse_wire

from .htmlcheck import dangers
from .worst_cases import COMMENTS, WIRE

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# A resource budget, like the memory one, not a speed benchmark: CPU seconds per document
# of up to 5 MB. Quadratic blow-ups cost tens of CPU seconds; CPU time (unlike wall
# time) does not grow when other work loads the machine, so the bound is not flaky.
MAX_CPU_SECONDS = 10.0
MAX_PEAK_MIB = 1024
# Found here and fixed in ingest: nh3 (html5ever) was quadratic in nesting depth (26 s;
# now refused, html-too-deep) and in "&"/no-break-space references (15 s; now swapped
# out before cleaning, legacy spellings capped: html-too-many-references).


def _run_child(kind: str) -> dict[str, dict[str, Any]]:
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("bounded_child.py")),
                          kind], capture_output=True, text=True, timeout=850, check=False)
    results = {r["name"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert results, out.stderr[-2000:]
    return results


@pytest.fixture(scope="module")
def wire_results() -> dict[str, dict[str, Any]]:
    return _run_child("wire")


@pytest.fixture(scope="module")
def comment_results() -> dict[str, dict[str, Any]]:
    return _run_child("comments")


def _check(result: dict[str, Any]) -> None:
    assert not result["outcome"].startswith("crash"), result
    assert result["peak_kib"] < MAX_PEAK_MIB * 1024, result
    assert result["cpu_seconds"] < MAX_CPU_SECONDS, result


@pytest.mark.parametrize("name", list(WIRE))
def test_worst_case_wire_document(wire_results: dict[str, dict[str, Any]], name: str) -> None:
    _check(wire_results[name])


@pytest.mark.parametrize("name", list(COMMENTS))
def test_worst_case_comment(comment_results: dict[str, dict[str, Any]], name: str) -> None:
    _check(comment_results[name])


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
# Pieces that exercise the link finder, the escaping, the bidi stripping and the matcher.
PIECES = st.sampled_from(["https://", "http://x.example/", "www.", "(", ")", ".", "<", ">",
                          "&amp;", "\"", "'", "javascript:", "\n", "\n\n", " ", "\u202e",
                          "\u200f", "ك", "ـ", "\u0651", "f", "u", "c", "k", "1", "@", "\x00"])


def _timed(fn: Any, *args: Any) -> Any:
    """Run ``fn`` within the CPU budget (this thread's CPU time: blind to machine load)."""
    started = time.thread_time()
    result = fn(*args)
    assert time.thread_time() - started < MAX_CPU_SECONDS
    return result


@FUZZ
@given(st.lists(PIECES, max_size=400).map("".join) | st.text(max_size=2000))
def test_comment_text_renders_safely_in_bounded_time(text: str) -> None:
    html = _timed(render_comment, text)
    assert not dangers(html), (text, html)
    _timed(count_links, text)
    config = ModerationConfig(banned_words=("fucking",), max_length=20_000)
    candidate = CommentCandidate(body=text, author_id="r", ip="127.0.0.1", article_id="a",
                                 recent_bodies_by_author=[text])
    result = _timed(lambda: asyncio.run(moderate(candidate, config=config)))
    assert result.decisions


@FUZZ  # (bidi overrides in agency text are a known finding: test_attacks.py, rtl-override)
@given(st.integers(1, 3000), st.sampled_from(["<div>", "<p>", "&nbsp;", "<b><i>", "<!--",
                                             "<a href='x'>", "<table><tr><td>", "<svg>"]))
def test_html_bodies_sanitise_in_bounded_time(count: int, unit: str) -> None:
    body = json.dumps({"uri": "urn:f:1", "headlines": [{"value": "h"}],
                       "bodies": [{"contentType": "text/html", "value": unit * count}]})
    try:
        articles = _timed(lambda: parse_wire(body.encode(), "application/json", agency="f"))
    except FormatError as exc:
        assert 400 <= exc.status < 500
        return
    assert not dangers(articles[0].body_html, allowed_scripts=set())
