"""CSV for spreadsheets: formula starts neutralised (OWASP CSV injection), read back by a CSV reader."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit.campaign.cells import FORMULA_STARTS, SpreadsheetCSV, neutralise


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"],
)
def test_formula_starts_become_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value,expected", [("Ann", "Ann"), ("a=b", "a=b"), (7, 7), (None, ""), ("", "")])
def test_other_cells_are_unchanged(value, expected):
    assert neutralise(value) == expected


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.one_of(st.text(), st.integers(), st.none())))
def test_no_cell_read_back_starts_a_formula(row):
    out = io.StringIO()
    writer = SpreadsheetCSV(out, ["a", "b", "c"])
    writer.write(row)
    header, values = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert header == ["a", "b", "c"]
    for name, cell in zip(header, values, strict=True):
        original = row.get(name)
        if isinstance(original, int):
            assert cell == str(original)  # a number (-1 too) is a number, never a formula
            continue
        assert not cell.startswith(FORMULA_STARTS)
        if isinstance(original, str) and original.startswith(FORMULA_STARTS):
            assert cell == "'" + original
        else:
            assert cell == (original or "")
