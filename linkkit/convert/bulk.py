"""Convert many passes: a folder of them, or a campaign file naming one per recipient; resumable.

Output (``out_dir``)::

    cards/{name}.json      the Samsung card (mode 0600: cards hold personal data)
    reports/{name}.json    what was mapped, defaulted, cut and dropped (no values)
    images/{hash}-{file}   the passes' own images, when image_base_url says where they will be served
    manifest.jsonl         one line per converted pass: source, refId, files, link (with card and certificate ids)
    errors.csv             source, code, reason for every pass that did not convert
    convert.json           the run's secret that derives the refIds (mode 0600): keep it to resume

Each pass is finished when its marker in ``.parts/`` is written, last and atomically; a run stopped half
way resumes with the passes it had not finished, and a pass whose file changed since is converted again.
RefIds are HMAC(secret, source), as in campaigns: the same source gets the same refId on every run.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from linkkit._atomic import atomic_write, atomic_writer
from linkkit._json import read_json
from linkkit.atw.links import ATW_BASE_URL, fetch_link, is_valid_ref_id
from linkkit.campaign import CampaignState, iter_rows
from linkkit.convert.options import ConvertOptions, ImageFile
from linkkit.convert.pkpass import MAX_ARCHIVE_BYTES, MAX_ENTRIES, read_bounded
from linkkit.convert.report import Conversion
from linkkit.convert.sources import convert_pass, load_json
from linkkit.errors import ConfigError, LinkKitError

STATE_FILE: Final = "convert.json"
PARTS_DIR: Final = ".parts"
#: Most passes one run takes (a folder walk stops there).
MAX_PASSES: Final = 100_000
_KEY_COLUMNS: Final = ("recipient_id", "email", "id")
_PASS_SUFFIXES: Final = (".pkpass", ".json")
_SAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")

Progress = Callable[[int, int], None]


@dataclass(frozen=True, kw_only=True)
class BulkSpec:
    """What a bulk run converts and where it writes.

    :param source: a folder (``*.pkpass``, ``*.pass/`` folders, ``*.json`` passes; a Google class beside its
        object as ``X.class.json`` for ``X.json``), or a ``.csv`` / ``.jsonl`` file whose ``pass`` column
        names a pass relative to the file (and ``class`` its Google class).
    :param options: as for one pass; ``ref_id`` must be unset (each card gets its own) and images are
        hosted with ``image_base_url`` (they are written to ``out_dir/images``).
    :param card_id: with ``certificate_id``, each manifest line gets the card's Data Fetch link.
    """

    source: str
    out_dir: str
    options: ConvertOptions = field(default_factory=ConvertOptions)
    card_id: str | None = None
    certificate_id: str | None = None
    atw_base_url: str = ATW_BASE_URL

    def __post_init__(self) -> None:
        if self.options.ref_id is not None:
            raise ConfigError("ref_id: a bulk run gives every card its own refId")
        if self.options.image_host is not None:
            raise ConfigError("image_host: a bulk run writes images to out_dir/images; give image_base_url")
        if (self.card_id is None) != (self.certificate_id is None):
            raise ConfigError("card_id and certificate_id: give both for Data Fetch links, or neither")
        if self.card_id is not None and self.certificate_id is not None:
            fetch_link(self.certificate_id, self.card_id, "probe", base=self.atw_base_url)

    def fingerprint(self) -> str:
        """What makes two runs the same run (a resume must not mix two)."""
        o = self.options
        relevant = {
            "source": os.path.abspath(self.source),
            "options": [o.language, o.card_type, o.sub_type, o.time_zone, o.arrival_time_zone, o.image_base_url,
                        sorted((k, repr(v)) for k, v in o.attributes.items()), o.google_type, o.object_id, o.strict],
            "link": [self.card_id, self.certificate_id, self.atw_base_url],
        }  # fmt: skip
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BulkResult:
    total: int
    ok: int
    failed: int
    resumed: int
    out_dir: str


@dataclass(frozen=True, slots=True)
class _Item:
    key: str
    path: Path | None
    class_path: Path | None = None
    ref_id: str | None = None
    error: str | None = None


def _safe_name(key: str) -> str:
    stem = _SAFE.sub("-", key).strip("-.")[:60] or "pass"
    return f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def _inside(root: Path, candidate: str) -> Path | None:
    """``candidate`` resolved under ``root``, or ``None`` for an absolute path or one that leaves it."""
    if not candidate or os.path.isabs(candidate) or "\x00" in candidate:
        return None
    resolved = (root / candidate).resolve()
    return resolved if resolved.is_relative_to(root.resolve()) else None


def items(spec: BulkSpec) -> Iterator[_Item]:
    """The passes of ``spec.source`` in a stable order (a resume sees the same list)."""
    source = Path(spec.source)
    if source.is_dir():
        yield from _folder_items(source, Path(spec.out_dir))
    elif source.suffix.lower() in (".csv", ".jsonl", ".ndjson"):
        yield from _row_items(source)
    else:
        raise ConfigError(f"{source}: a folder of passes, or a .csv / .jsonl file with a 'pass' column")


def _folder_items(root: Path, out_dir: Path) -> Iterator[_Item]:
    out = out_dir.resolve()
    count = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs.sort()
        files.sort()
        kept = []
        for name in dirs:
            path = here / name
            if path.resolve() == out or name.startswith("."):
                continue
            if path.is_symlink():
                yield _Item(str(path.relative_to(root)), None, error="a symbolic link: not followed")
            elif name.endswith(".pass"):
                count += 1
                yield _Item(str(path.relative_to(root)), path)
            else:
                kept.append(name)
        dirs[:] = kept
        for name in files:
            path = here / name
            if name.startswith(".") or not name.lower().endswith(_PASS_SUFFIXES) or name.endswith(".class.json"):
                continue
            key = str(path.relative_to(root))
            if path.is_symlink():
                yield _Item(key, None, error="a symbolic link: not followed")
                continue
            count += 1
            klass = path.with_name(name.removesuffix(".json").removesuffix(".object") + ".class.json")
            yield _Item(key, path, klass if name.endswith(".json") and klass.is_file() else None)
        if count > MAX_PASSES:
            raise ConfigError(f"{root}: more than {MAX_PASSES} passes; split the folder")


def _row_items(path: Path) -> Iterator[_Item]:
    root = path.parent
    for row in iter_rows(path):
        key = f"row {row.number}"
        if row.values is None:
            yield _Item(key, None, error=str(row.error) if row.error else "unreadable row")
            continue
        values = row.values
        name = next((values[c].strip() for c in _KEY_COLUMNS if values.get(c, "").strip()), None)
        key = name or values.get("pass", "") or key
        pass_path = _inside(root, values.get("pass", "").strip())
        if pass_path is None:
            yield _Item(key, None, error=f"row {row.number}.pass: a path inside {root.name or '.'}/ is required")
            continue
        class_value = values.get("class", "").strip()
        class_path = _inside(root, class_value) if class_value else None
        if class_value and class_path is None:
            yield _Item(key, None, error=f"row {row.number}.class: a path inside {root.name or '.'}/ is required")
            continue
        ref = values.get("ref_id", "").strip() or None
        if ref is not None and (not is_valid_ref_id(ref) or len(ref) > 32):
            yield _Item(key, None, error=f"row {row.number}.ref_id: 1 to 32 URL-safe characters")
            continue
        yield _Item(key, pass_path, class_path, ref)


def _digest(item: _Item) -> str:
    digest = hashlib.sha256()
    for path in (item.path, item.class_path):
        if path is None:
            continue
        if path.is_dir():
            entries = sorted(Path(d) / f for d, _, files in os.walk(path, followlinks=False) for f in files)
            for entry in entries[:MAX_ENTRIES]:
                digest.update(str(entry.relative_to(path)).encode() + b"\x00")
                if not entry.is_symlink():
                    digest.update(read_bounded(entry, MAX_ARCHIVE_BYTES, what=entry.name))
        else:
            digest.update(read_bounded(path, MAX_ARCHIVE_BYTES, what=path.name))
    return digest.hexdigest()


def _load_state(spec: BulkSpec, restart: bool) -> tuple[CampaignState, bool]:
    out = Path(spec.out_dir)
    path = out / STATE_FILE
    fingerprint = spec.fingerprint()
    if path.exists() and not restart:
        try:
            data = read_json(read_bounded(path, 64 * 1024, what=STATE_FILE), what=str(path))
            state = CampaignState(data["campaign_id"], data["secret"], int(data["created_ms"]), data["fingerprint"])
        except (LinkKitError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: unreadable run state; use --restart") from exc
        if state.fingerprint != fingerprint:
            raise ConfigError(
                f"{out}: holds another conversion (other source or options); use a new --out or --restart"
            )
        return state, True
    out.mkdir(parents=True, exist_ok=True)
    state = CampaignState(secrets.token_hex(8), secrets.token_hex(32), int(time.time() * 1000), fingerprint)
    atomic_write(path, json.dumps(dataclasses.asdict(state), indent=2).encode() + b"\n", permissions=0o600)
    return state, False


def run_bulk(spec: BulkSpec, *, progress: Progress | None = None, restart: bool = False) -> BulkResult:
    """Convert every pass of ``spec.source``; a stopped run resumes (``restart=True`` starts over).

    One bad pass never stops the run: it becomes a line of ``errors.csv``. Every file is written
    atomically, and a pass's files before its marker.

    :raises ConfigError: an unusable source, or an ``out_dir`` that holds another run.
    """
    state, _ = _load_state(spec, restart)
    out = Path(spec.out_dir)
    parts = out / PARTS_DIR
    if restart and parts.is_dir():
        for stale in parts.glob("*.json"):
            stale.unlink()
    for folder in (parts, out / "cards", out / "reports"):
        folder.mkdir(parents=True, exist_ok=True)
    listed = list(items(spec))
    ok = failed = resumed = 0
    order: list[Path] = []
    for done, item in enumerate(listed, 1):
        marker = parts / f"{_safe_name(item.key)}.json"
        order.append(marker)
        digest = _digest(item) if item.path is not None and item.error is None else ""
        previous = _read_marker(marker)
        if previous is not None and previous.get("digest") == digest and item.error is None:
            resumed += 1
            entry = previous
        else:
            entry = _convert_one(spec, state, item, digest)
            atomic_write(marker, json.dumps(entry, ensure_ascii=False).encode() + b"\n")
        if "error" in entry:
            failed += 1
        else:
            ok += 1
        if progress is not None:
            progress(done, len(listed))
    _merge(out, order)
    return BulkResult(len(listed), ok, failed, resumed, str(out))


def _read_marker(path: Path) -> dict[str, Any] | None:
    try:
        data = read_json(read_bounded(path, 1024 * 1024, what=path.name), what=path.name)
    except (LinkKitError, OSError):
        return None
    return data if isinstance(data, dict) else None


def _convert_one(spec: BulkSpec, state: CampaignState, item: _Item, digest: str) -> dict[str, Any]:
    if item.error is not None or item.path is None:
        return {"source": item.key, "digest": digest, "error": item.error or "unreadable", "code": "skipped"}
    ref_id = item.ref_id or state.ref_id(item.key)
    options = dataclasses.replace(spec.options, ref_id=ref_id)
    try:
        class_doc = load_json(item.class_path) if item.class_path is not None else None
        conversion = convert_pass(item.path, options, class_doc=class_doc)
    except LinkKitError as exc:
        code = getattr(exc, "code", None) or type(exc).__name__
        return {"source": item.key, "digest": digest, "error": str(exc), "code": str(code)}
    name = _safe_name(item.key)
    write_outputs(conversion, Path(spec.out_dir), name)
    entry: dict[str, Any] = {
        "source": item.key,
        "digest": digest,
        "ref_id": ref_id,
        "source_id": conversion.source_id,
        "card_type": conversion.report.card_type,
        "sub_type": conversion.report.sub_type,
        "card": f"cards/{name}.json",
        "report": f"reports/{name}.json",
        "dropped": len(conversion.report.dropped),
    }
    if spec.card_id is not None and spec.certificate_id is not None:
        entry["link"] = fetch_link(spec.certificate_id, spec.card_id, ref_id, base=spec.atw_base_url)
    return entry


def write_outputs(conversion: Conversion, out: Path, name: str) -> None:
    """Images first, then the report, then the card: a card never points to an image not yet written."""
    if conversion.images:
        (out / "images").mkdir(parents=True, exist_ok=True)
        for image in conversion.images:
            atomic_write(out / "images" / ImageFile(image.name, image.data).hosted_name, image.data)
    report = json.dumps(conversion.report.as_dict(), indent=2, ensure_ascii=False).encode() + b"\n"
    atomic_write(out / "reports" / f"{name}.json", report)
    card = json.dumps(conversion.card, indent=2, ensure_ascii=False).encode() + b"\n"
    atomic_write(out / "cards" / f"{name}.json", card, permissions=0o600)


def _merge(out: Path, markers: list[Path]) -> None:
    entries = [e for e in (_read_marker(m) for m in markers) if e is not None]
    with atomic_writer(out / "manifest.jsonl") as manifest:
        for entry in entries:
            if "error" not in entry:
                line = {k: v for k, v in entry.items() if k != "digest"}
                manifest.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
    with atomic_writer(out / "errors.csv") as errors:
        text = io.TextIOWrapper(errors, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(["source", "code", "reason"])
        for entry in entries:
            if "error" in entry:
                writer.writerow([entry["source"], entry.get("code", ""), entry["error"]])
        text.flush()
        text.detach()
