"""One chunk of rows → QR files and the chunk's part files (results, cards, errors). Runs in a worker.

Each QR file is written atomically, then the parts, then the done marker (see
:mod:`linkkit.campaign.batch`). A chunk stopped half way has no marker, so a resume redoes it whole;
the QR files it may have written are rewritten with the same names and bytes (refIds are
deterministic, see spec.py). Rows are streamed into the parts: a chunk holds one row at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, NamedTuple

from linkkit._atomic import atomic_write
from linkkit.assets.qr import make_qr
from linkkit.atw.links import fetch_link
from linkkit.campaign.batch import ChunkParts, ChunkResult
from linkkit.campaign.filenames import safe_file_name
from linkkit.campaign.snippets import button_snippets
from linkkit.campaign.spec import CampaignSpec, CampaignState
from linkkit.campaign.template import CardTemplate
from linkkit.cards import review_card
from linkkit.errors import FieldError, LinkKitError, ValidationError

QR_DIR: Final = "qr"


class WorkRow(NamedTuple):
    """A row handed to a worker: its number and line, and either its values or why it failed."""

    number: int
    line: int
    values: dict[str, str] | None
    error: FieldError | None
    key: str


class RowOutcome(NamedTuple):
    """What one row gave: a manifest entry, its card and the card's warnings, or the error lines."""

    entry: dict[str, Any] | None
    card: dict[str, Any] | None
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]] = []


_TEMPLATES: dict[str, CardTemplate] = {}


def _template(path: str) -> CardTemplate:
    # Parsed once per process; templates hold no secrets.
    if path not in _TEMPLATES:
        _TEMPLATES[path] = CardTemplate.load(path)
    return _TEMPLATES[path]


def error_lines(row: WorkRow, errors: list[FieldError]) -> list[dict[str, Any]]:
    return [{"row": row.number, "line": row.line, "field": e.path, "reason": e.reason} for e in errors]


def qr_file(ref_id: str, fmt: str) -> str:
    """The QR image of ``ref_id``, relative to the output folder (one file-name rule for all)."""
    return f"{QR_DIR}/{safe_file_name(ref_id, '.' + fmt)}"


def process_row(spec: CampaignSpec, state: CampaignState, row: WorkRow, *, write: bool = True) -> RowOutcome:
    """The outcome of one row; with ``write=False`` (a dry run) nothing is drawn or written."""
    if row.error is not None or row.values is None:
        return RowOutcome(None, None, error_lines(row, [row.error or FieldError(f"row {row.number}", "unreadable")]))
    ref_id = state.ref_id(row.key)
    where = f"row {row.number}"
    try:
        card = _template(spec.template).render(row.values, ref_id=ref_id, now_ms=state.created_ms)
    except ValidationError as exc:
        return RowOutcome(
            None, None, error_lines(row, [FieldError(f"{where}: {e.path}", e.reason) for e in exc.errors])
        )
    review = review_card(card, strict=spec.strict)
    if review.errors:
        return RowOutcome(
            None, None, error_lines(row, [FieldError(f"{where}: {p.path}", p.reason) for p in review.errors])
        )
    warnings = [
        {"row": row.number, "line": row.line, "field": f"{where}: {w.path}", "reason": w.reason, "rule": w.rule_id}
        for w in review.warnings
    ]
    link = fetch_link(spec.certificate_id, spec.card_id, ref_id, base=spec.atw_base_url)
    entry: dict[str, Any] = {
        "row": row.number,
        "recipient": row.key,
        "ref_id": ref_id,
        "link": link,
        "channel": spec.channel,
        "expires_at": spec.expires_at_ms,
        "max_uses": spec.max_uses,
        **dict(spec.tags),
    }
    try:
        code = make_qr(link, level=spec.qr_level)
        for fmt in spec.qr_formats:
            rel = qr_file(ref_id, fmt)
            if write:
                data = code.svg(title="Add to Samsung Wallet").encode() if fmt == "svg" else code.png(scale=8)
                atomic_write(Path(spec.out_dir) / rel, data)
            entry[f"qr_{fmt}"] = rel
        if spec.snippets and write:
            entry.update(button_snippets(link, locale=spec.locale, asset_base_url=spec.asset_base_url))
    except LinkKitError as exc:
        return RowOutcome(None, None, error_lines(row, [FieldError(where, str(exc))]))
    return RowOutcome(entry, {"ref_id": ref_id, "card": card, "expires_at": spec.expires_at_ms}, [], warnings)


def process_chunk(job: tuple[CampaignSpec, CampaignState], index: int, rows: Iterable[WorkRow]) -> ChunkResult:
    """Process ``rows`` and write the chunk's parts; a :func:`linkkit.campaign.batch.run_chunks` step."""
    spec, state = job
    (Path(spec.out_dir) / QR_DIR).mkdir(parents=True, exist_ok=True)
    parts = ChunkParts(spec.out_dir, index)
    ok = failed = warned = 0
    with (
        parts.writer("results") as results,
        parts.writer("cards", permissions=0o600) as cards,
        parts.writer("errors") as errors,
        parts.writer("warnings") as warnings,
    ):
        for row in rows:
            outcome = process_row(spec, state, row)
            if outcome.entry is not None:
                ok += 1
                results.write(json.dumps(outcome.entry, ensure_ascii=False) + "\n")
                cards.write(json.dumps(outcome.card, ensure_ascii=False, separators=(",", ":")) + "\n")
                warnings.writelines(json.dumps(w, ensure_ascii=False) + "\n" for w in outcome.warnings)
                warned += len(outcome.warnings)
            else:
                failed += 1
                errors.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in outcome.errors)
    return parts.done(ChunkResult(index, ok + failed, ok, failed, warned))
