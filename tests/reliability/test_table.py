"""The table in docs/reliability.md is the one this suite measures (runs after every other case).

Only the stable part is compared: each row's case, target and "lost" (which must be 0). Tries,
refusals and served counts vary by machine and are shown as measured, with the date.
``LINKKIT_UPDATE_RELIABILITY=1`` writes the measured table into the page instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.reliability.report import Table, committed_rows, replace_block

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reliability.md"
UPDATE_ENV = "LINKKIT_UPDATE_RELIABILITY"
HERE = Path(__file__).resolve().parent


def _whole_suite_ran(request: pytest.FixtureRequest) -> str | None:
    """Why the measured table is partial, or ``None`` when every case of tests/reliability/ ran."""
    session = request.session
    if session.testsfailed:
        return f"{session.testsfailed} test(s) failed before this one: their rows are missing"
    ran = {Path(str(item.path)).resolve() for item in session.items}
    missing = sorted(p.name for p in HERE.glob("test_*.py") if p.resolve() not in ran)
    if missing:
        return f"not every file of tests/reliability/ ran ({', '.join(missing)} did not)"
    if request.config.getoption("keyword") or request.config.getoption("markexpr"):
        return "a -k or -m selection ran part of the suite"
    if any("::" in str(arg) for arg in request.config.args):
        return "single tests were selected"
    return None


def test_the_committed_table_has_the_rows_the_suite_measured(table: Table, request: pytest.FixtureRequest) -> None:
    partial = _whole_suite_ran(request)
    if partial is not None:
        pytest.skip(f"the table is compared only after the whole reliability suite: {partial}")
    assert table.rows, "no case recorded a row"
    assert all(row.lost == 0 for row in table.rows.values()), [r for r in table.rows.values() if r.lost]
    text = PAGE.read_text("utf-8")
    if os.environ.get(UPDATE_ENV) == "1":
        PAGE.write_text(replace_block(text, table), "utf-8")
        text = PAGE.read_text("utf-8")
    committed, measured = committed_rows(text), table.stable()
    assert committed == measured, (
        f"docs/reliability.md's table differs from what the suite measured; rerun with {UPDATE_ENV}=1.\n"
        f"only in the page: {sorted(committed - measured)}\nonly measured: {sorted(measured - committed)}"
    )
