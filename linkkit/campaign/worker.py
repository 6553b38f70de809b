"""One chunk of rows → QR files and a part file of results. Runs in a worker process.

Everything a chunk writes is atomic: each QR file, then the part file that marks the chunk done.
A chunk killed half way leaves no part file, so a resume redoes it whole; the QR files it may have
written are rewritten with the same names and bytes (refIds are deterministic, see spec.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from linkkit._atomic import atomic_write
from linkkit.assets.qr import make_qr
from linkkit.campaign.snippets import button_snippets
from linkkit.campaign.spec import CampaignSpec, CampaignState
from linkkit.campaign.template import CardTemplate
from linkkit.cards import check_card
from linkkit.errors import FieldError, LinkKitError, ValidationError
from linkkit.links import fetch_link

PARTS_DIR: Final = ".parts"
QR_DIR: Final = "qr"

#: A row handed to a worker: (number, values or None, error or None, recipient key).
WorkRow = tuple[int, dict[str, str] | None, FieldError | None, str]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    index: int
    ok: int
    failed: int


def part_path(out_dir: str | Path, index: int, kind: str) -> Path:
    return Path(out_dir) / PARTS_DIR / f"{index:07d}.{kind}.jsonl"


def chunk_done(out_dir: str | Path, index: int) -> bool:
    return part_path(out_dir, index, "results").exists()


_TEMPLATES: dict[str, CardTemplate] = {}


def _template(path: str) -> CardTemplate:
    # Parsed once per worker process; templates hold no secrets.
    if path not in _TEMPLATES:
        _TEMPLATES[path] = CardTemplate.load(path)
    return _TEMPLATES[path]


def error_lines(number: int, errors: list[FieldError]) -> list[dict[str, Any]]:
    return [{"row": number, "field": e.path, "reason": e.reason} for e in errors]


def process_row(
    spec: CampaignSpec, state: CampaignState, row: WorkRow
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[dict[str, Any]]]:
    """(manifest entry, card entry, error lines) for one row; exactly one side is filled."""
    number, values, error, key = row
    if error is not None or values is None:
        return None, None, error_lines(number, [error or FieldError(f"row {number}", "unreadable")])
    ref_id = state.ref_id(key)
    try:
        card = _template(spec.template).render(values, ref_id=ref_id, now_ms=state.created_ms)
    except ValidationError as exc:
        return None, None, error_lines(number, [FieldError(f"row {number}: {e.path}", e.reason) for e in exc.errors])
    problems = check_card(card, strict=spec.strict)
    if problems:
        return None, None, error_lines(number, [FieldError(f"row {number}: {p.path}", p.reason) for p in problems])
    link = fetch_link(spec.certificate_id, spec.card_id, ref_id, base=spec.atw_base_url)
    entry: dict[str, Any] = {
        "row": number,
        "recipient": key,
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
            rel = f"{QR_DIR}/{ref_id}.{fmt}"
            data = code.svg(title="Add to Samsung Wallet").encode() if fmt == "svg" else code.png(scale=8)
            atomic_write(Path(spec.out_dir) / rel, data)
            entry[f"qr_{fmt}"] = rel
        if spec.snippets:
            entry.update(button_snippets(link, locale=spec.locale, asset_base_url=spec.asset_base_url))
    except LinkKitError as exc:
        return None, None, error_lines(number, [FieldError(f"row {number}", str(exc))])
    return entry, {"ref_id": ref_id, "card": card, "expires_at": spec.expires_at_ms}, []


def process_chunk(spec: CampaignSpec, state: CampaignState, index: int, rows: list[WorkRow]) -> ChunkResult:
    """Process ``rows`` and write the chunk's part files (results, cards, errors) atomically."""
    (Path(spec.out_dir) / QR_DIR).mkdir(parents=True, exist_ok=True)
    (Path(spec.out_dir) / PARTS_DIR).mkdir(parents=True, exist_ok=True)
    results: list[str] = []
    cards: list[str] = []
    errors: list[str] = []
    failed = 0
    for row in rows:
        entry, card, row_errors = process_row(spec, state, row)
        if entry is not None:
            results.append(json.dumps(entry, ensure_ascii=False))
            cards.append(json.dumps(card, ensure_ascii=False, separators=(",", ":")))
        else:
            failed += 1
            errors.extend(json.dumps(e, ensure_ascii=False) for e in row_errors)
    # The results part is written last: its existence is what marks the chunk done.
    atomic_write(part_path(spec.out_dir, index, "cards"), "".join(c + "\n" for c in cards).encode(), permissions=0o600)
    atomic_write(part_path(spec.out_dir, index, "errors"), "".join(e + "\n" for e in errors).encode())
    atomic_write(part_path(spec.out_dir, index, "results"), "".join(r + "\n" for r in results).encode())
    return ChunkResult(index, len(results), failed)
