"""The tally of a backfill (`wirestream ingest import`) and its progress line."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

ACCEPTED = ("new", "update", "killed", "held", "embargoed")
DUPLICATE = ("stale", "replayed")


@dataclass
class Summary:
    """What happened to every item of a backfill, by outcome, and why files were refused."""

    files: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, outcomes: list[str]) -> None:
        self.files += 1
        self.outcomes.update(outcomes)

    def refuse(self, name: str, reason: str) -> None:
        self.files += 1
        self.refused.append((name, reason))

    @property
    def accepted(self) -> int:
        return sum(self.outcomes[o] for o in ACCEPTED)

    @property
    def duplicates(self) -> int:
        return sum(self.outcomes[o] for o in DUPLICATE)

    def report(self) -> str:
        def detail(keys: tuple[str, ...]) -> str:
            return ", ".join(f"{k} {self.outcomes[k]}" for k in keys if self.outcomes[k])

        elapsed = time.monotonic() - self.started
        lines = [
            f"{self.files} files, {self.accepted + self.duplicates} items, {elapsed:.1f}s",
            f"  accepted  {self.accepted:>6}  {detail(ACCEPTED)}".rstrip(),
            f"  duplicate {self.duplicates:>6}  {detail(DUPLICATE)}".rstrip(),
            f"  refused   {len(self.refused):>6}  (files)",
        ]
        lines += [f"    {name}: {reason}" for name, reason in sorted(self.refused)]
        return "\n".join(lines)


class Progress:
    """One self-overwriting line on stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, summary: Summary, stream: TextIO | None = None) -> None:
        self.total = total
        self.summary = summary
        self.stream = stream or sys.stderr
        self._drawn = 0.0

    def update(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        s = self.summary
        pct = 100 * s.files / self.total if self.total else 100
        self.stream.write(f"\r{s.files}/{self.total} files ({pct:3.0f}%)  accepted {s.accepted}"
                          f"  duplicate {s.duplicates}  refused {len(s.refused)}")
        self.stream.flush()

    def close(self) -> None:
        self.update(force=True)
        self.stream.write("\n")
        self.stream.flush()
