"""CSV files for spreadsheets: a cell that a spreadsheet would run as a formula is made text.

A recipient named ``=HYPERLINK("https://evil.example","Click")`` (or anything starting with ``+``,
``-``, ``@``, a tab or a carriage return) becomes a live formula when manifest.csv or errors.csv is
opened in Excel, LibreOffice or Google Sheets: the OWASP "CSV injection" rule. Such a cell gets a
leading ``'``, which spreadsheets read as "this is text" and do not show, and every text cell is
quoted. The JSON Lines files keep the exact values for programs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, Final, TextIO

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text: ``'`` before a formula start; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetCSV:
    """Rows of named columns written to ``stream`` with every cell neutralised and text quoted."""

    def __init__(self, stream: TextIO, columns: Iterable[str]) -> None:
        self._columns = tuple(columns)
        self._writer = csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        self._writer.writerow(self._columns)

    def write(self, row: Mapping[str, Any]) -> None:
        """Write the columns of ``row`` (missing ones empty, others ignored)."""
        self._writer.writerow([neutralise(row.get(name)) for name in self._columns])
