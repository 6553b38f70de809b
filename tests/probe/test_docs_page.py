"""docs/probe.md says what the code does: its table of checks is written from linkkit.probe.SUITE (and
compared here), and its sample reports are checked by tests/test_docs.py. ``LINKKIT_WRITE_DOCS=1``
rewrites the table."""

from __future__ import annotations

import os
import re
from pathlib import Path

from linkkit.probe import COVERAGE, SUITE

PAGE = Path(__file__).resolve().parents[2] / "docs" / "probe.md"
BEGIN = "<!-- probe checks: written by tests/probe/test_docs_page.py from linkkit.probe.SUITE -->"
END = "<!-- end of probe checks -->"


def checks_table() -> str:
    rows = ["| Check | What it sends, and what passes | Samsung's item and API page | Requests |", "|---|---|---|---|"]
    for check in SUITE:
        covers = "; ".join(f"[{COVERAGE[key].label.split(':')[0]}]({COVERAGE[key].url})" for key in check.covers)
        rows.append(f"| `{check.name}` | {check.title} | {covers} | {check.budget} |")
    return "\n".join(rows)


def splice(text: str) -> str:
    pattern = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)
    assert pattern.search(text), "docs/probe.md lost its table markers"
    return pattern.sub(lambda _: f"{BEGIN}\n{checks_table()}\n{END}", text)


def test_the_table_of_checks_is_the_suite() -> None:
    text = PAGE.read_text("utf-8")
    fresh = splice(text)
    if os.environ.get("LINKKIT_WRITE_DOCS") == "1" and fresh != text:
        PAGE.write_text(fresh, "utf-8")
        text = fresh
    assert fresh == text, "docs/probe.md: run LINKKIT_WRITE_DOCS=1 pytest tests/probe/test_docs_page.py"


def test_the_page_states_the_budget_and_the_clock_shift() -> None:
    from linkkit.probe.attacks import CLOCK_SHIFT_S

    text = PAGE.read_text("utf-8")
    assert f"At most {sum(c.budget for c in SUITE)} requests per run" in text
    assert f"are {CLOCK_SHIFT_S:g} seconds off" in text
    for check in SUITE:
        assert f"`{check.name}`" in text
