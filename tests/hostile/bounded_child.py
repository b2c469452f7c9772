"""Run the worst cases in a child process with hard resource limits, one JSON line each.

``python bounded_child.py wire|comments`` applies an address-space limit (so a
blow-up is a MemoryError here, not the machine swapping) and a CPU limit, then
prints, per document, the wall and CPU seconds it took, the peak RSS so far (and how much
this document raised it), and the outcome.
"""

from __future__ import annotations

import asyncio
import functools
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ADDRESS_SPACE = 3 * 1024**3
CPU_SECONDS = 300


def _cpu_s() -> float:
    """CPU time of this process: unlike wall time, it does not grow when the machine is busy."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_kib() -> int:
    """This process's peak RSS. Not ``ru_maxrss``: Linux keeps that across fork and exec,
    so a child of a big pytest process would start with the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _wire() -> dict[str, Callable[[], str]]:
    from worst_cases import WIRE  # type: ignore[import-not-found]

    from wirestream.ingest.formats import FormatError, parse_wire

    def run(body: bytes, content_type: str) -> str:
        try:
            return f"ok:{len(parse_wire(body, content_type, agency='w', max_items=500))}"
        except FormatError as exc:
            return f"refused:{exc.status}:{exc.type}"

    return {name: functools.partial(run, b, c) for name, (b, c) in WIRE.items()}


def _comments() -> dict[str, Callable[[], str]]:
    from worst_cases import COMMENTS  # type: ignore[import-not-found]

    from wirestream.comments.moderation import CommentCandidate, ModerationConfig
    from wirestream.comments.moderation.pipeline import moderate
    from wirestream.comments.text import count_links, render_comment

    config = ModerationConfig(banned_words=("fucking", "كلب"), max_length=20_000)

    def run(text: str) -> str:
        html = render_comment(text)
        links = count_links(text)
        result = asyncio.run(moderate(CommentCandidate(
            body=text, author_id="r", ip="127.0.0.1", article_id="a",
            recent_bodies_by_author=[text[:500]] * 10), config=config))
        return f"ok:{len(html)}:{links}:{result.status.value}"

    return {name: functools.partial(run, t) for name, t in COMMENTS.items()}


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    cases = _wire() if sys.argv[1] == "wire" else _comments()
    for name, case in cases.items():
        before, started, cpu = _peak_kib(), time.perf_counter(), _cpu_s()
        try:
            outcome = case()
        except MemoryError:
            outcome = "crash:MemoryError"
        except Exception as exc:  # reported to the test, which fails on it
            outcome = f"crash:{type(exc).__name__}: {str(exc)[:200]}"
        print(json.dumps({"name": name, "seconds": time.perf_counter() - started,
                          "cpu_seconds": _cpu_s() - cpu,
                          "peak_kib": _peak_kib(), "peak_growth_kib": _peak_kib() - before,
                          "outcome": outcome}),
              flush=True)


if __name__ == "__main__":
    main()
