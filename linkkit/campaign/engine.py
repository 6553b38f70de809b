"""Run a campaign: stream rows into chunks, process them in parallel, merge the parts atomically.

Memory stays flat in the number of rows: rows are read as a stream, duplicate recipients are
found in an on-disk key store (:mod:`linkkit.campaign.seen`), at most ``2 × workers`` chunks are in
flight, results go to part files, and the final merge streams the part files.

Nothing is lost: the merge checks that every row read is in the output exactly once, as a link
(manifest) or as an error (errors.csv), and refuses to finish otherwise.
"""

from __future__ import annotations

import io
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from linkkit._atomic import atomic_writer
from linkkit._json import read_json
from linkkit.campaign.batch import (
    PARTS_DIR,
    clear_parts,
    folder_lock,
    iter_part_lines,
    run_chunks,
    sweep_temporaries,
)
from linkkit.campaign.cells import SpreadsheetCSV
from linkkit.campaign.rows import iter_rows, read_header
from linkkit.campaign.seen import SeenKeys
from linkkit.campaign.spec import CampaignSpec, CampaignState, load_or_create_state
from linkkit.campaign.template import CardTemplate
from linkkit.campaign.worker import QR_DIR, WorkRow, process_chunk, process_row
from linkkit.errors import ConfigError, FieldError

KEY_COLUMNS: Final = ("recipient_id", "email", "id")
MANIFEST_CSV_COLUMNS: Final = (
    "row",
    "recipient",
    "ref_id",
    "link",
    "qr_svg",
    "qr_png",
    "channel",
    "expires_at",
    "max_uses",
)
ERRORS_CSV_COLUMNS: Final = ("row", "line", "field", "reason")
WARNINGS_CSV_COLUMNS: Final = ("row", "line", "field", "reason", "rule")

#: Called with (rows done, rows expected); expected is 0 when unknown.
Progress = Callable[[int, int], None]
#: Called with each error line of a dry run ({"row", "line", "field", "reason"}), or warning line
#: (the same and "rule").
LineSink = Callable[[dict[str, Any]], object]


@dataclass(frozen=True, slots=True)
class CampaignResult:
    """``rows`` read = ``ok`` (links made) + ``failed`` (rows in errors.csv).

    ``warnings``: card warnings of the rows that made links (in warnings.csv): what Samsung's current
    pages mark otherwise although its own samples do it; they fail a row only with ``strict``.
    """

    rows: int
    ok: int
    failed: int
    resumed_chunks: int
    out_dir: str
    dry_run: bool
    warnings: int = 0


def _key_column(spec: CampaignSpec, header: list[str] | None) -> str | None:
    if spec.key_column:
        if header is not None and spec.key_column not in header:
            raise ConfigError(f"--key-column {spec.key_column!r} is not a column of {spec.recipients}")
        return spec.key_column
    if header is None:
        return None
    return next((name for name in KEY_COLUMNS if name in header), None)


def _work_rows(spec: CampaignSpec, template: CardTemplate, seen: SeenKeys) -> Iterator[WorkRow]:
    """Rows with their recipient key; duplicates and missing key values become error rows."""
    header = read_header(spec.recipients)
    if header is not None:
        missing = template.missing_columns(set(header))
        if missing:
            raise ConfigError(f"{spec.recipients}: the template uses columns the file lacks: {', '.join(missing)}")
    key_name = _key_column(spec, header)
    for row in iter_rows(spec.recipients):
        fallback = f"#row{row.number}"
        if row.values is None:
            yield WorkRow(row.number, row.line, None, row.error, fallback)
            continue
        name = key_name or next((n for n in KEY_COLUMNS if n in row.values), None)
        if name is None:
            yield WorkRow(row.number, row.line, row.values, None, fallback)
            continue
        key = row.values.get(name, "").strip()
        if not key:
            error = FieldError(f"row {row.number}.{name}", "recipient key is empty")
            yield WorkRow(row.number, row.line, None, error, fallback)
            continue
        first = seen.first_row(key, row.number)
        if first != row.number:
            error = FieldError(f"row {row.number}.{name}", f"duplicate recipient (first at row {first})")
            yield WorkRow(row.number, row.line, None, error, fallback)
            continue
        yield WorkRow(row.number, row.line, row.values, None, key)


def validate_campaign(
    spec: CampaignSpec,
    *,
    progress: Progress | None = None,
    on_error: LineSink | None = None,
    on_warning: LineSink | None = None,
    total: int = 0,
) -> CampaignResult:
    """Check every row as a run would (template, card rules, QR capacity, duplicates); write nothing.

    Error and warning lines are handed to ``on_error`` and ``on_warning`` as they are found (none
    are kept here).
    """
    template = CardTemplate.load(spec.template)
    state = CampaignState("dry-run", secrets.token_hex(32), int(time.time() * 1000), "")
    ok = failed = rows = warnings = 0
    with SeenKeys() as seen:
        for row in _work_rows(spec, template, seen):
            rows += 1
            outcome = process_row(spec, state, row, write=False)
            if outcome.entry is not None:
                ok += 1
                warnings += len(outcome.warnings)
                for line in outcome.warnings:
                    if on_warning:
                        on_warning(line)
            else:
                failed += 1
                for line in outcome.errors:
                    if on_error:
                        on_error(line)
            if progress and rows % 200 == 0:
                progress(rows, total)
    if progress:
        progress(rows, total)
    return CampaignResult(rows, ok, failed, 0, spec.out_dir, True, warnings)


def run_campaign(
    spec: CampaignSpec, *, total: int = 0, progress: Progress | None = None, restart: bool = False
) -> CampaignResult:
    """Make every link, QR code and snippet of ``spec``; resumes a run that was stopped.

    :param total: rows expected (for progress only).
    :param progress: called with (rows done, total) as chunks finish.
    :param restart: forget a stopped run in ``spec.out_dir`` (its parts and QR images) and start over.
    :raises ConfigError: unusable inputs, an output folder that belongs to another campaign or that
        another run is writing, or parts that do not account for every row.
    """
    template = CardTemplate.load(spec.template)
    out = Path(spec.out_dir)
    with folder_lock(out):
        state, _resumed = load_or_create_state(spec, restart=restart)
        if restart:
            clear_parts(out)
            for image in (out / QR_DIR).glob("*"):
                if image.suffix in (".svg", ".png") and image.is_file():
                    image.unlink()
        sweep_temporaries(out, out / PARTS_DIR, out / QR_DIR)
        with SeenKeys() as seen:
            totals = run_chunks(
                _work_rows(spec, template, seen),
                process_chunk,
                (spec, state),
                out_dir=out,
                chunk_size=spec.chunk_size,
                workers=spec.workers,
                progress=(lambda done: progress(done, total)) if progress else None,
            )
        _merge(spec, totals.items)
    return CampaignResult(
        totals.items, totals.ok, totals.failed, totals.resumed_chunks, spec.out_dir, False, totals.warnings
    )


class _RowAccount:
    """Checks, streaming, that the rows of the manifest and of the errors are 1..N, each once."""

    def __init__(self, spec: CampaignSpec, error_rows: Iterator[int]) -> None:
        self._spec = spec
        self._errors = error_rows
        self._next_error = next(error_rows, None)
        self.expected = 1
        self.links = self.failed = 0

    def _take(self, number: int, what: str) -> None:
        if number != self.expected:
            self._fail(f"{what} row {number} where row {self.expected} was due")
        self.expected += 1

    def _drain_errors_before(self, number: int | None) -> None:
        while self._next_error is not None and (number is None or self._next_error < number):
            self._take(self._next_error, "error")
            self.failed += 1
            previous, self._next_error = self._next_error, next(self._errors, None)
            while self._next_error == previous:  # one row may have several error lines
                self._next_error = next(self._errors, None)

    def link(self, number: int) -> None:
        self._drain_errors_before(number)
        if self._next_error == number:
            self._fail(f"row {number} is both a link and an error")
        self._take(number, "link")
        self.links += 1

    def close(self, rows_read: int) -> None:
        self._drain_errors_before(None)
        if self.expected - 1 != rows_read:
            self._fail(f"{rows_read} rows read, {self.links} links + {self.failed} errors written")

    def _fail(self, detail: str) -> None:
        raise ConfigError(
            f"{self._spec.out_dir}: the parts in {PARTS_DIR}/ do not account for every row ({detail}); use --restart"
        )


def _lines(spec: CampaignSpec, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for line in iter_part_lines(spec.out_dir, kind):
        yield line, read_json(line, what=f"{PARTS_DIR}/*.{kind}.jsonl")


def _merge(spec: CampaignSpec, rows_read: int) -> None:
    """Write manifest.csv, manifest.jsonl, cards.jsonl, errors.csv and warnings.csv from the parts, each atomically."""
    out = Path(spec.out_dir)
    account = _RowAccount(spec, (int(obj["row"]) for _, obj in _lines(spec, "errors")))
    with atomic_writer(out / "manifest.jsonl") as jsonl, atomic_writer(out / "manifest.csv") as csv_out:
        text = io.TextIOWrapper(csv_out, encoding="utf-8", newline="")
        manifest = SpreadsheetCSV(text, MANIFEST_CSV_COLUMNS + tuple(spec.tags))
        for line, entry in _lines(spec, "results"):
            account.link(int(entry["row"]))
            jsonl.write(line.encode("utf-8"))
            manifest.write(entry)
        account.close(rows_read)
        text.flush()
        text.detach()
    # Card content may be personal data: owner-only, like the campaign secret.
    with atomic_writer(out / "cards.jsonl", permissions=0o600) as cards:
        for line in iter_part_lines(spec.out_dir, "cards"):
            cards.write(line.encode("utf-8"))
    for name, kind, columns in (
        ("errors.csv", "errors", ERRORS_CSV_COLUMNS),
        ("warnings.csv", "warnings", WARNINGS_CSV_COLUMNS),
    ):
        with atomic_writer(out / name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            sheet = SpreadsheetCSV(text, columns)
            for _, found in _lines(spec, kind):
                sheet.write(found)
            text.flush()
            text.detach()
