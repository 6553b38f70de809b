"""Read a recipient list row by row: CSV (with a header) or JSON Lines, streamed, never all at once.

A broken row never stops the read: it comes back with an ``error`` instead of ``values``. Broken
UTF-8 is caught per row (the file is decoded with ``surrogateescape``, and a field holding an
escaped byte is reported), so one bad byte costs one row, not the whole campaign.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from linkkit.errors import ConfigError, FieldError

RowFormat = Literal["csv", "jsonl"]

#: A field longer than this is refused (a marketer's list has names and emails, not novels).
MAX_FIELD_CHARS: Final = 4096
#: csv's own default limit is 128 KiB per field; ours is far lower, checked per field above.
csv.field_size_limit(1 << 20)


@dataclass(frozen=True, slots=True)
class Row:
    """One recipient: ``number`` is 1-based, counting data rows (the CSV header is row 0)."""

    number: int
    values: dict[str, str] | None
    error: FieldError | None = None


def detect_format(path: str | os.PathLike[str]) -> RowFormat:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ConfigError(f"{path}: recipients must be a .csv or .jsonl file")


def _bad_utf8(text: str) -> bool:
    # surrogateescape maps each undecodable byte to U+DC80..U+DCFF
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _check_values(number: int, values: dict[str, str]) -> Row:
    for name, value in values.items():
        if _bad_utf8(name) or _bad_utf8(value):
            where = "?" if _bad_utf8(name) else name
            return Row(number, None, FieldError(f"row {number}.{where}", "not valid UTF-8"))
        if len(value) > MAX_FIELD_CHARS:
            return Row(
                number,
                None,
                FieldError(f"row {number}.{name}", f"longer than {MAX_FIELD_CHARS} characters ({len(value)})"),
            )
    return Row(number, values)


def _open_text(path: str | os.PathLike[str]) -> io.TextIOWrapper:
    return open(path, encoding="utf-8", errors="surrogateescape", newline="")


def read_header(path: str | os.PathLike[str]) -> list[str] | None:
    """The CSV header (column names), or None for JSON Lines (keys differ per row)."""
    if detect_format(path) != "csv":
        return None
    with _open_text(path) as fh:
        header = next(csv.reader(fh), None)
    if not header:
        raise ConfigError(f"{path}: the CSV file is empty (a header row is required)")
    names = [h.strip().lstrip("\ufeff") for h in header]
    if len(set(names)) != len(names) or any(not n for n in names):
        raise ConfigError(f"{path}: the CSV header has empty or repeated column names")
    if any(_bad_utf8(n) for n in names):
        raise ConfigError(f"{path}: the CSV header is not valid UTF-8")
    return names


def iter_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    """Every data row of ``path`` in order, each either with ``values`` or with an ``error``."""
    if detect_format(path) == "csv":
        yield from _iter_csv(path)
    else:
        yield from _iter_jsonl(path)


def _iter_csv(path: str | os.PathLike[str]) -> Iterator[Row]:
    names = read_header(path)
    assert names is not None
    with _open_text(path) as fh:
        reader = csv.reader(fh, strict=True)
        next(reader, None)
        number = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield Row(number, None, FieldError(f"row {number}", f"broken CSV ({exc})"))
                continue
            if not record or record == [""]:
                continue  # blank lines are not recipients
            number += 1
            if len(record) != len(names):
                yield Row(
                    number, None, FieldError(f"row {number}", f"has {len(record)} columns, the header has {len(names)}")
                )
                continue
            yield _check_values(number, dict(zip(names, record, strict=True)))


def _iter_jsonl(path: str | os.PathLike[str]) -> Iterator[Row]:
    with _open_text(path) as fh:
        number = 0
        for line in fh:
            if not line.strip():
                continue
            number += 1
            if _bad_utf8(line):
                yield Row(number, None, FieldError(f"row {number}", "not valid UTF-8"))
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Row(number, None, FieldError(f"row {number}", f"not valid JSON ({exc.msg})"))
                continue
            if not isinstance(obj, dict):
                yield Row(number, None, FieldError(f"row {number}", "must be a JSON object"))
                continue
            values: dict[str, str] = {}
            bad = None
            for key, value in obj.items():
                if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
                    bad = FieldError(f"row {number}.{key}", "must be a string or a number")
                    break
                values[key] = value if isinstance(value, str) else json.dumps(value)
            yield Row(number, None, bad) if bad else _check_values(number, values)


def count_rows(path: str | os.PathLike[str]) -> int:
    """Data rows in ``path`` (for the progress bar); cheap: one streaming pass, no parsing of values."""
    return sum(1 for _ in iter_rows(path))
