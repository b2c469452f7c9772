"""Per-scenario figures: kept as JSON lines during a run, printed as a table at the end,
and (with ``WIRESTREAM_CHAOS_WRITE_DOC=1``) written into docs/proof.md."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("WIRESTREAM_CHAOS_RESULTS", ROOT / ".wirestream" / "chaos.jsonl"))
PROOF = ROOT / "docs" / "proof.md"
START, END = "<!-- chaos-table:start -->", "<!-- chaos-table:end -->"


@dataclass(frozen=True)
class ScenarioResult:
    scenario: str
    variant: str  # quick | full
    database: str  # sqlite | postgresql
    sent: int  # wire documents (new items, updates, kills)
    accepted: int  # distinct items answered 202
    published: int  # items the site shows as accepted (latest version, or 410 if killed)
    lost: int
    duplicated: int
    comments: str  # shown once / approved
    deliveries: str  # missing / duplicated webhook events, or "n/a" without push
    dead_letters: str  # unexpected / total
    recover_s: float | None  # fault over -> a new item is live on the site
    settle_s: float | None  # load over -> everything reconciles
    notes: str = ""  # what went wrong (a scenario with notes fails)
    observed: str = ""  # what clients saw on the way: retries, deferrals

    def row(self) -> str:
        def s(v: float | None) -> str:
            return "-" if v is None else f"{v:.1f}"

        return (f"| {self.scenario} | {self.database} | {self.sent} | {self.accepted} | "
                f"{self.published} | {self.lost} | {self.duplicated} | {self.comments} | "
                f"{self.deliveries} | {self.dead_letters} | {s(self.recover_s)} | "
                f"{s(self.settle_s)} |")


HEADER = ("| scenario | db | wire docs sent | items accepted | published as expected | lost | "
          "duplicated | comments shown once / approved | webhook events missing / dup | "
          "dead letters unexpected / total | recover s | settle s |\n"
          "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")


SESSION: list[ScenarioResult] = []  # this pytest session's results, for the summary


def record(result: ScenarioResult) -> None:
    SESSION.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as f:
        f.write(json.dumps(asdict(result)) + "\n")


def load(path: Path = RESULTS) -> list[ScenarioResult]:
    if not path.exists():
        return []
    latest: dict[tuple[str, str], ScenarioResult] = {}
    for line in path.read_text().splitlines():
        r = ScenarioResult(**json.loads(line))
        latest[(r.scenario, r.variant)] = r
    return list(latest.values())


def table(results: list[ScenarioResult]) -> str:
    return "\n".join([HEADER, *(r.row() for r in results)])


def write_doc(results: list[ScenarioResult]) -> None:
    text = PROOF.read_text() if PROOF.exists() else f"{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    notes = [f"* **{r.scenario}**: {r.notes}" for r in results if r.notes]
    notes += [f"* {r.scenario}: {r.observed}" for r in results if r.observed]
    body = "\n".join([table(results), "", *notes]) if notes else table(results)
    PROOF.write_text(f"{head}{START}\n{body}\n{END}{tail}")
