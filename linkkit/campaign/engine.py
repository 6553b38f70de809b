"""Run a campaign: stream rows into chunks, process them in parallel, merge the parts atomically.

Memory stays flat in the number of rows: rows are read as a stream, at most ``2 × workers`` chunks
are in flight, results go to part files, and the final merge streams the part files. The one thing
that grows is the set of recipient keys seen (8 bytes each), which duplicate detection needs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from linkkit._atomic import atomic_writer
from linkkit.campaign.rows import iter_rows, read_header
from linkkit.campaign.spec import CampaignSpec, CampaignState, load_or_create_state
from linkkit.campaign.template import CardTemplate
from linkkit.campaign.worker import (
    PARTS_DIR,
    ChunkResult,
    WorkRow,
    chunk_done,
    error_lines,
    part_path,
    process_chunk,
)
from linkkit.cards import check_card
from linkkit.errors import ConfigError, FieldError, ValidationError

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

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class CampaignResult:
    rows: int
    ok: int
    failed: int
    resumed_chunks: int
    out_dir: str
    dry_run: bool


def _key_column(spec: CampaignSpec, header: list[str] | None) -> str | None:
    if spec.key_column:
        if header is not None and spec.key_column not in header:
            raise ConfigError(f"--key-column {spec.key_column!r} is not a column of {spec.recipients}")
        return spec.key_column
    if header is None:
        return None
    return next((name for name in KEY_COLUMNS if name in header), None)


def _work_rows(spec: CampaignSpec, template: CardTemplate) -> Iterator[WorkRow]:
    """Rows with their recipient key; duplicates and missing key values become error rows."""
    header = read_header(spec.recipients)
    if header is not None:
        missing = template.missing_columns(set(header))
        if missing:
            raise ConfigError(f"{spec.recipients}: the template uses columns the file lacks: {', '.join(missing)}")
    key_name = _key_column(spec, header)
    seen: dict[bytes, int] = {}
    for row in iter_rows(spec.recipients):
        if row.values is None:
            yield row.number, None, row.error, f"#row{row.number}"
            continue
        name = key_name or next((n for n in KEY_COLUMNS if n in row.values), None)
        if name is None:
            yield row.number, row.values, None, f"#row{row.number}"
            continue
        key = row.values.get(name, "").strip()
        if not key:
            error = FieldError(f"row {row.number}.{name}", "recipient key is empty")
            yield row.number, None, error, f"#row{row.number}"
            continue
        digest = hashlib.blake2b(key.casefold().encode(), digest_size=8).digest()
        first = seen.setdefault(digest, row.number)
        if first != row.number:
            error = FieldError(f"row {row.number}.{name}", f"duplicate recipient (first at row {first})")
            yield row.number, None, error, f"#row{row.number}"
            continue
        yield row.number, row.values, None, key


def _chunks(rows: Iterator[WorkRow], size: int) -> Iterator[tuple[int, list[WorkRow]]]:
    chunk: list[WorkRow] = []
    index = 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


def validate_campaign(
    spec: CampaignSpec, *, progress: Progress | None = None
) -> tuple[CampaignResult, list[dict[str, object]]]:
    """Validate every row without writing anything; returns the result and the error lines."""
    template = CardTemplate.load(spec.template)
    state = CampaignState("dry-run", "00" * 32, 0, "")
    now_ms = int(time.time() * 1000)
    errors: list[dict[str, object]] = []
    ok = failed = total = 0
    for number, values, error, key in _work_rows(spec, template):
        total += 1
        problems: list[FieldError] = []
        if error is not None or values is None:
            problems = [error or FieldError(f"row {number}", "unreadable")]
        else:
            try:
                card = template.render(values, ref_id=state.ref_id(key), now_ms=now_ms)
                found = check_card(card, strict=spec.strict)
                problems = [FieldError(f"row {number}: {p.path}", p.reason) for p in found]
            except ValidationError as exc:
                problems = [FieldError(f"row {number}: {e.path}", e.reason) for e in exc.errors]
        if problems:
            failed += 1
            errors.extend(error_lines(number, problems))
        else:
            ok += 1
        if progress and total % 1000 == 0:
            progress(total, 0)
    return CampaignResult(total, ok, failed, 0, spec.out_dir, True), errors


def run_campaign(
    spec: CampaignSpec, *, total: int = 0, progress: Progress | None = None, restart: bool = False
) -> CampaignResult:
    """Make every link, QR code and snippet of ``spec``; resumes a run that was stopped.

    :param total: rows expected (for progress only).
    :param progress: called with (rows done, total) as chunks finish.
    :raises ConfigError: unusable inputs, or an output folder that belongs to another campaign.
    """
    template = CardTemplate.load(spec.template)
    state, _resumed = load_or_create_state(spec, restart=restart)
    if restart:
        for stale in (Path(spec.out_dir) / PARTS_DIR).glob("*.jsonl"):
            stale.unlink()
    done_rows = ok = failed = resumed = 0
    pool = ProcessPoolExecutor(max_workers=spec.workers) if spec.workers > 1 else None
    in_flight: dict[Future[ChunkResult], int] = {}

    def collect(result: ChunkResult, size: int) -> None:
        nonlocal done_rows, ok, failed
        done_rows += size
        ok += result.ok
        failed += result.failed
        if progress:
            progress(done_rows, total)

    try:
        for index, rows in _chunks(_work_rows(spec, template), spec.chunk_size):
            if chunk_done(spec.out_dir, index):
                resumed += 1
                collect(_count_part(spec, index), len(rows))
                continue
            if pool is None:
                collect(process_chunk(spec, state, index, rows), len(rows))
                continue
            in_flight[pool.submit(process_chunk, spec, state, index, rows)] = len(rows)
            if len(in_flight) >= 2 * spec.workers:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    collect(future.result(), in_flight.pop(future))
        for future in list(in_flight):
            collect(future.result(), in_flight.pop(future))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    _merge(spec)
    return CampaignResult(done_rows, ok, failed, resumed, spec.out_dir, False)


def _count_part(spec: CampaignSpec, index: int) -> ChunkResult:
    with open(part_path(spec.out_dir, index, "results"), "rb") as fh:
        ok = sum(1 for _ in fh)
    with open(part_path(spec.out_dir, index, "errors"), "rb") as fh:
        failed_rows = {json.loads(line)["row"] for line in fh}
    return ChunkResult(index, ok, len(failed_rows))


def _parts(spec: CampaignSpec, kind: str) -> Iterator[str]:
    for path in sorted((Path(spec.out_dir) / PARTS_DIR).glob(f"*.{kind}.jsonl")):
        with open(path, encoding="utf-8") as fh:
            yield from fh


def _merge(spec: CampaignSpec) -> None:
    """Write manifest.csv, manifest.jsonl, cards.jsonl and errors.csv from the parts, each atomically."""
    out = Path(spec.out_dir)
    tag_columns = tuple(spec.tags)
    columns = MANIFEST_CSV_COLUMNS + tag_columns
    with atomic_writer(out / "manifest.jsonl") as jsonl, atomic_writer(out / "manifest.csv") as csv_out:
        text = io.TextIOWrapper(csv_out, encoding="utf-8", newline="")
        writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for line in _parts(spec, "results"):
            jsonl.write(line.encode("utf-8"))
            writer.writerow({k: ("" if v is None else v) for k, v in json.loads(line).items()})
        text.flush()
        text.detach()
    # Card content may be personal data: owner-only, like the campaign secret.
    with atomic_writer(out / "cards.jsonl", permissions=0o600) as cards:
        for line in _parts(spec, "cards"):
            cards.write(line.encode("utf-8"))
    with atomic_writer(out / "errors.csv") as err_out:
        text = io.TextIOWrapper(err_out, encoding="utf-8", newline="")
        writer = csv.DictWriter(text, fieldnames=("row", "field", "reason"))
        writer.writeheader()
        for line in _parts(spec, "errors"):
            writer.writerow(json.loads(line))
        text.flush()
        text.detach()
