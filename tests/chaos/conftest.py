"""Chaos scenarios: the table of this session's results is printed at the end."""

from __future__ import annotations

import os

import pytest

from .report import SESSION, load, table, write_doc


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SESSION:
        return
    terminalreporter.section("chaos scenarios")
    terminalreporter.write_line(table(SESSION))
    for r in SESSION:
        if r.notes:
            terminalreporter.write_line(f"{r.scenario}: {r.notes}")
    if os.environ.get("WIRESTREAM_CHAOS_WRITE_DOC") == "1":
        write_doc(load())
        terminalreporter.write_line("table written to docs/proof.md")
