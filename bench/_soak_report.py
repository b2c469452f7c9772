"""The soak's summary: memory slopes, stream lengths, burst drain times, reconciliation;
written as docs/soak.md and plotted as docs/soak.png."""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Callable

from _png import Panel, chart
from _soak_probe import Sample

from tests.chaos.ledger import Ledger
from tests.chaos.reconcile import Findings


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value), per hour."""
    n = len(points)
    if n < 3:
        return 0.0
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return 0.0 if var == 0 else sum((t - mx) * (v - my) for t, v in points) / var * 3600


def _series(samples: list[Sample], pick: Callable[[Sample], dict[str, float]]
            ) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for s in samples:
        for name, value in pick(s).items():
            out.setdefault(name, []).append((s.t / 60, float(value)))
    return out


def drain_times(samples: list[Sample], bursts: list[tuple[float, int]],
                drained: int) -> list[float | None]:
    out: list[float | None] = []
    for at, _size in bursts:
        after = [s for s in samples if s.t > at + 1]
        done = next((s.t - at for s in after if s.total_backlog <= drained), None)
        out.append(done)
    return out


def write_report(a: argparse.Namespace, samples: list[Sample], bursts: list[tuple[float, int]],
                 ledger: Ledger, found: Findings, drained: int) -> str:
    warm = [s for s in samples if s.t >= samples[-1].t * 0.2]
    rss = _series(samples, lambda s: s.rss_mb)
    lines = [
        "# Soak", "",
        f"{a.minutes:g} minutes of steady load ({a.rate:g} wire documents/s: new items, "
        f"updates and kills; {a.comment_rate:g} comments/s) with a burst of {a.burst} items "
        f"every {a.burst_every:g} minutes, the four services as processes "
        f"({'PostgreSQL' if a.postgres else 'SQLite'}, private Redis with AOF), sampled every "
        f"{a.sample_s:g} s. Stream retention 120 s (trimming every 10 s), so stream lengths "
        "show trimming keeping up. Enrich keeps at most 1,000 articles in its story window "
        "(`WIRESTREAM_STORY_MAX_ITEMS`; default 15,000, ~5 KB each), so its memory reaches "
        "its plateau within the run. Run with `./wirestream bench soak`.", "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        "other engineers' test suites were running on it at the same time, so absolute "
        "latencies are pessimistic.", "", "![soak](soak.png)", "",
        "| service | RSS start MB | RSS end MB | RSS max MB | slope after warm-up MB/h | "
        "max sockets |", "|---|--:|--:|--:|--:|--:|"]
    for service, points in sorted(rss.items()):
        tail = [(s.t, s.rss_mb[service]) for s in warm if service in s.rss_mb]
        lines.append(f"| {service} | {points[0][1]:.0f} | {points[-1][1]:.0f} | "
                     f"{max(v for _, v in points):.0f} | {slope_per_hour(tail):+.1f} | "
                     f"{max(s.sockets.get(service, 0) for s in samples)} |")
    xlen = _series(samples, lambda s: s.xlen)
    lines += ["", "| stream | max length | final length |", "|---|--:|--:|"]
    lines += [f"| {k} | {max(v for _, v in p):.0f} | {p[-1][1]:.0f} |"
              for k, p in sorted(xlen.items())]
    lines += ["", "| burst at min | items | backlog drained after s |", "|--:|--:|--:|"]
    for (at, size), took in zip(bursts, drain_times(samples, bursts, drained), strict=True):
        lines.append(f"| {at / 60:.1f} | {size} | {'-' if took is None else f'{took:.0f}'} |")
    lines += ["", f"Redis: at most {max(s.redis_clients for s in samples)} clients, "
              f"{max(s.redis_mb for s in samples):.1f} MB used at most.", "",
              f"At the end: {ledger.wire_sent} wire documents sent, {len(ledger.accepted)} "
              f"items accepted, {found.published} on the site as expected and "
              f"{len(found.lost)} not (yet: the soak stops waiting 5 minutes after the load; "
              f"the chaos suite is what checks for loss), {len(found.duplicated)} published "
              "twice; "
              f"{found.comments_shown} comments shown once of "
              f"{sum(c.status == 'approved' for c in ledger.comments)} approved."]
    text = "\n".join(lines) + "\n"
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "soak.md").write_text(text)
    chart([Panel("RSS MB", rss),
           Panel("OPEN SOCKETS", _series(samples, lambda s: s.sockets)),
           Panel("STREAM LENGTH", xlen),
           Panel("LAG + PENDING", _series(samples, lambda s: s.backlog))],
          a.out / "soak.png")
    return text
