"""Read a recipient list row by row: CSV (with a header) or JSON Lines, streamed, never all at once.

Every row of the file comes back, in order, either with ``values`` or with an ``error``: nothing is
dropped, so a run can check at the end that rows read = links made + rows in error.

A broken row costs that row and no other:

* Broken UTF-8 is caught per row (the file is decoded with ``surrogateescape``, and a field holding
  an escaped byte is reported).
* A CSV quote that is never closed would make a plain reader swallow every later line into one
  field. Here a row may span at most :data:`MAX_ROW_CHARS` characters: a quote still open at that
  point, or at the end of the file, makes the row's *first line* an error naming the line, and
  reading starts again on the line after it. Every line of the file is read at least once.
* An overlong line (no newline for :data:`MAX_ROW_CHARS` characters) is one error row; it is read
  in pieces, never held whole.
* A JSON line goes through :func:`linkkit._json.read_json` (size and depth limits, duplicate keys
  refused): a deeply nested line is an error row, not a ``RecursionError``.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from linkkit._json import read_json
from linkkit.errors import ConfigError, FieldError, JSONInputError

RowFormat = Literal["csv", "jsonl"]

#: A field longer than this is refused (a marketer's list has names and emails, not novels).
MAX_FIELD_CHARS: Final = 4096
#: The longest row, in characters, line breaks included: a CSV row (all its lines, when a quoted
#: field spans several) or a JSON line. It bounds the memory a damaged file can take.
MAX_ROW_CHARS: Final = 64 * 1024
#: A recipient row is a flat object; deeper JSON is refused before it is parsed.
MAX_JSON_DEPTH: Final = 8


@dataclass(frozen=True, slots=True)
class Row:
    """One recipient.

    ``number`` is 1-based and counts data rows (blank lines and the CSV header are not rows);
    ``line`` is the file line the row starts on (1-based, as an editor shows it).
    """

    number: int
    values: dict[str, str] | None
    error: FieldError | None = None
    line: int = 0


def detect_format(path: str | os.PathLike[str]) -> RowFormat:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ConfigError(f"{path}: recipients must be a .csv or .jsonl file")


# surrogateescape maps each undecodable byte to U+DC80..U+DCFF
_ESCAPED_BYTE: Final = re.compile("[\udc80-\udcff]")


def _bad_utf8(text: str) -> bool:
    return _ESCAPED_BYTE.search(text) is not None


def _where(number: int, line: int) -> str:
    return f"row {number} (line {line})"


def _check_values(number: int, line: int, values: dict[str, str]) -> Row:
    for name, value in values.items():
        if _bad_utf8(name) or _bad_utf8(value):
            where = "?" if _bad_utf8(name) else name
            return Row(number, None, FieldError(f"row {number}.{where}", "not valid UTF-8"), line)
        if len(value) > MAX_FIELD_CHARS:
            reason = f"longer than {MAX_FIELD_CHARS} characters ({len(value)})"
            return Row(number, None, FieldError(f"row {number}.{name}", reason), line)
    return Row(number, values, None, line)


class _Lines:
    """The file's lines with their numbers; lines can be pushed back to be read again.

    Each line is at most :data:`MAX_ROW_CHARS` characters: a longer one comes back as ``None``
    (its text is skipped in pieces, never held whole).
    """

    def __init__(self, fh: io.TextIOWrapper) -> None:
        self._fh = fh
        self._again: deque[tuple[int, str | None]] = deque()
        self.read = 0  # lines taken from the file so far

    def push_back(self, lines: list[tuple[int, str | None]]) -> None:
        self._again.extendleft(reversed(lines))

    def next(self) -> tuple[int, str | None] | None:
        if self._again:
            return self._again.popleft()
        text = self._fh.readline(MAX_ROW_CHARS + 1)
        if not text:
            return None
        self.read += 1
        if self.read == 1:
            text = text.removeprefix("\ufeff")  # the byte order mark spreadsheets write
        if len(text) > MAX_ROW_CHARS and not text.endswith(("\n", "\r")):
            while text and not text.endswith(("\n", "\r")):
                text = self._fh.readline(MAX_ROW_CHARS)
            return self.read, None
        return self.read, text


# Private control flow, outside the LinkKitError tree on purpose: it escapes the csv module's reader and is
# turned into the row's error right there; no caller ever sees it.
class _RowTooLong(Exception):
    """Raised inside the CSV reader's line feed when the current row passes MAX_ROW_CHARS."""


def _open_text(path: str | os.PathLike[str]) -> io.TextIOWrapper:
    try:
        return open(path, encoding="utf-8", errors="surrogateescape", newline="")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _header(path: str | os.PathLike[str], record: list[str]) -> list[str]:
    names = [h.strip() for h in record]
    if len(set(names)) != len(names) or any(not n for n in names):
        raise ConfigError(f"{path}: the CSV header has empty or repeated column names")
    if any(_bad_utf8(n) for n in names):
        raise ConfigError(f"{path}: the CSV header is not valid UTF-8")
    return names


def read_header(path: str | os.PathLike[str]) -> list[str] | None:
    """The CSV header (column names), or None for JSON Lines (keys differ per row)."""
    if detect_format(path) != "csv":
        return None
    with _open_text(path) as fh:
        return _first_record_as_header(path, _csv_records(_Lines(fh)))


def iter_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    """Every data row of ``path`` in order, each either with ``values`` or with an ``error``."""
    if detect_format(path) == "csv":
        yield from _iter_csv(path)
    else:
        yield from _iter_jsonl(path)


#: (first line, last line, fields or None, problem or None) of one CSV record.
_Record = tuple[int, int, list[str] | None, str | None]

_UNCLOSED: Final = "a quoted field is not closed before the end of the file (a missing closing quote?)"


class _Feed:
    """The lines handed to one ``csv.reader``, remembering those of the record being read."""

    def __init__(self, lines: _Lines) -> None:
        self._lines = lines
        self.taken: list[tuple[int, str | None]] = []
        self._size = 0

    def record_done(self) -> None:
        self.taken = []
        self._size = 0

    def __iter__(self) -> Iterator[str]:
        while (item := self._lines.next()) is not None:
            self.taken.append(item)
            number, text = item
            if text is None:
                raise _RowTooLong(f"line {number} is longer than {MAX_ROW_CHARS} characters")
            self._size += len(text)
            if self._size > MAX_ROW_CHARS:
                raise _RowTooLong(
                    f"a quoted field is not closed within {MAX_ROW_CHARS} characters (a missing closing quote?)"
                )
            yield text


def _csv_records(lines: _Lines) -> Iterator[_Record]:
    """Every CSV record, blank lines included (as empty records), each with the lines it spans.

    The spans tile the file: each line is in exactly one record, except the later lines of a
    broken record, which are read again. A record that breaks (a quote never closed, a character
    after a closing quote, a row over :data:`MAX_ROW_CHARS`) spans its first line only.
    """
    while True:
        feed = _Feed(lines)
        reader = csv.reader(iter(feed), strict=True)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                if not feed.taken:
                    return
                problem = _UNCLOSED  # lines csv.reader took without a record: reported, never lost
            except csv.Error as exc:
                problem = _UNCLOSED if "unexpected end of data" in str(exc) else f"broken CSV ({exc})"
            except _RowTooLong as exc:
                problem = str(exc)
            else:
                yield feed.taken[0][0], feed.taken[-1][0], record, None
                feed.record_done()
                continue
            first = feed.taken[0][0]
            lines.push_back(feed.taken[1:])
            yield first, first, None, problem
            break  # a fresh reader (and feed) for the lines after the broken row's first one


def _first_record_as_header(path: str | os.PathLike[str], records: Iterator[_Record]) -> list[str]:
    for _first, _last, record, problem in records:
        if problem is not None:
            raise ConfigError(f"{path}: the CSV header (line {_first}) is not readable: {problem}")
        if record and record != [""]:
            return _header(path, record)
    raise ConfigError(f"{path}: the CSV file is empty (a header row is required)")


def _iter_csv(path: str | os.PathLike[str]) -> Iterator[Row]:
    with _open_text(path) as fh:
        records = _csv_records(_Lines(fh))
        names = _first_record_as_header(path, records)
        number = 0
        for line, _last, record, problem in records:
            if record is not None and (not record or record == [""]):
                continue  # blank lines are not recipients
            number += 1
            if record is None:
                yield Row(number, None, FieldError(_where(number, line), problem or "unreadable"), line)
            elif len(record) != len(names):
                reason = f"has {len(record)} columns, the header has {len(names)}"
                yield Row(number, None, FieldError(_where(number, line), reason), line)
            else:
                yield _check_values(number, line, dict(zip(names, record, strict=True)))


def _jsonl_values(number: int, line: int, text: str) -> Row:
    try:
        obj = read_json(text, what=_where(number, line), max_bytes=MAX_ROW_CHARS, max_depth=MAX_JSON_DEPTH)
    except JSONInputError as exc:
        reason = str(exc).removeprefix(f"{_where(number, line)}: ")
        return Row(number, None, FieldError(_where(number, line), reason), line)
    if not isinstance(obj, dict):
        return Row(number, None, FieldError(_where(number, line), "must be a JSON object"), line)
    values: dict[str, str] = {}
    for key, value in obj.items():
        if isinstance(value, str):
            values[key] = value
        elif isinstance(value, int) and not isinstance(value, bool):
            values[key] = str(value)
        elif isinstance(value, float) and math.isfinite(value):
            values[key] = repr(value)
        else:
            return Row(number, None, FieldError(f"row {number}.{key}", "must be a string or a number"), line)
    return _check_values(number, line, values)


def _iter_jsonl(path: str | os.PathLike[str]) -> Iterator[Row]:
    with _open_text(path) as fh:
        lines = _Lines(fh)
        number = 0
        while (item := lines.next()) is not None:
            line, text = item
            if text is not None and not text.strip():
                continue
            number += 1
            if text is None:
                yield Row(
                    number, None, FieldError(_where(number, line), f"longer than {MAX_ROW_CHARS} characters"), line
                )
            elif _bad_utf8(text):
                yield Row(number, None, FieldError(_where(number, line), "not valid UTF-8"), line)
            else:
                yield _jsonl_values(number, line, text)


def count_rows(path: str | os.PathLike[str]) -> int:
    """Data rows in ``path`` (for the progress bar): one streaming pass with the same rules as :func:`iter_rows`."""
    return sum(1 for _ in iter_rows(path))
