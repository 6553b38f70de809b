"""Campaign runs: bad rows isolated, outputs complete and atomic, resume after a kill, QR decoded back."""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from linkkit import errors
from linkkit.campaign import CampaignState, run_campaign, validate_campaign
from linkkit.links import parse_link

from ..conftest import CARD_ID, CERTIFICATE_ID
from .conftest import TEMPLATE, alive, children, write_csv


def good_rows(n: int, start: int = 0) -> list[list[str]]:
    return [[f"user{i}@example.com", f"User {i}", "2026-01-01", f"M-{i:06d}"] for i in range(start, start + n)]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_mixed_file_bad_rows_go_to_errors_csv(tmp_path, spec_factory):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"email,first_name,joined,member_no\n"
        b"a@x.com,Ann,2026-01-01,M-1\n"
        b"b@x.com,Bob,not-a-date,M-2\n"  # wrong type
        b"c@x.com,Cy\n"  # missing column
        b"d@x.com," + b"D" * 40 + b",2026-01-01,M-4\n"  # title over String(32)
        b"A@X.com,Dup,2026-01-01,M-5\n"  # duplicate recipient (case-insensitive)
        b"f@x.com,F\xc3\x28,2026-01-01,M-6\n"  # broken UTF-8
        b",NoKey,2026-01-01,M-7\n"  # empty recipient key
        b"h@x.com,Hal,2026-01-01,M-8\n"
    )
    result = run_campaign(spec_factory(path))
    assert (result.rows, result.ok, result.failed) == (8, 2, 6)
    out = Path(result.out_dir)
    errs = read_csv(out / "errors.csv")
    by_row = {int(e["row"]): e for e in errs}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7]
    assert "startDate" in by_row[2]["field"] and "joined" in by_row[2]["reason"]
    assert "has 2 columns" in by_row[3]["reason"]
    assert by_row[4]["field"] == "row 4: card.data[0].attributes.title" and "32" in by_row[4]["reason"]
    assert "duplicate recipient (first at row 1)" in by_row[5]["reason"]
    assert by_row[6]["reason"] == "not valid UTF-8"
    assert "empty" in by_row[7]["reason"]
    assert {int(e["line"]) for e in errs} == {3, 4, 5, 6, 7, 8}
    manifest = read_csv(out / "manifest.csv")
    assert [m["row"] for m in manifest] == ["1", "8"]
    for entry in manifest:
        link = parse_link(entry["link"])
        assert link.kind == "fetch" and link.ref_id == entry["ref_id"] and len(entry["ref_id"]) == 32
        assert (out / entry["qr_svg"]).read_text().startswith("<svg")
    cards = [json.loads(line) for line in (out / "cards.jsonl").read_text().splitlines()]
    assert [c["card"]["card"]["data"][0]["refId"] for c in cards] == [m["ref_id"] for m in manifest]
    assert oct(os.stat(out / "cards.jsonl").st_mode & 0o777) == "0o600"
    assert not list(out.glob("**/*.tmp"))


def test_never_a_transmit_link_and_tags(tmp_path, spec_factory):
    path = write_csv(tmp_path / "r.csv", good_rows(3))
    result = run_campaign(spec_factory(path, tags={"utm_source": "spring", "utm_medium": "email"}, max_uses=3))
    for entry in (json.loads(x) for x in (Path(result.out_dir) / "manifest.jsonl").read_text().splitlines()):
        assert "#Clip?pdata=" in entry["link"] and "cdata" not in entry["link"]
        assert entry["utm_source"] == "spring" and entry["max_uses"] == 3 and entry["channel"] == "email"


def test_dry_run_writes_nothing(tmp_path, spec_factory):
    path = write_csv(tmp_path / "r.csv", [*good_rows(2), ["x@x.com", "X", "bad", "M"], ["X@x.com", "X", "", "M"]])
    spec = spec_factory(path)
    errs: list[dict[str, object]] = []
    result = validate_campaign(spec, on_error=errs.append)
    assert (result.rows, result.ok, result.failed, result.dry_run) == (4, 2, 2, True)
    assert [(e["row"], e["line"]) for e in errs] == [(3, 4), (4, 5)] and "duplicate" in str(errs[1]["reason"])
    assert not Path(spec.out_dir).exists()


def test_every_row_is_accounted_for_when_a_quote_is_never_closed(tmp_path, spec_factory):
    # The case of the security review: 10 rows in, 3 links + 3 errors out, exit 0. Now: 10 = links + errors.
    rows = [[f"u{i}@x.com", f"U{i}", "2026-01-01", f"M-{i}"] for i in range(10)]
    rows[1][2] = "not a date"
    rows[2][1] = "T" * 40  # title over String(32)
    path = write_csv(tmp_path / "r.csv", rows)
    text = path.read_text().splitlines()
    text[4] = 'u3@x.com,"U3,2026-01-01,M-3'  # row 4, line 5: the quote is never closed
    path.write_text("\n".join(text) + "\n")
    result = run_campaign(spec_factory(path))
    assert (result.rows, result.ok, result.failed) == (10, 7, 3)
    out = Path(result.out_dir)
    errs = read_csv(out / "errors.csv")
    assert [(e["row"], e["line"]) for e in errs] == [("2", "3"), ("3", "4"), ("4", "5")]
    assert "not closed" in errs[2]["reason"] and errs[2]["field"] == "row 4 (line 5)"
    assert [m["row"] for m in read_csv(out / "manifest.csv")] == ["1", "5", "6", "7", "8", "9", "10"]


def test_parts_that_lose_a_row_are_refused_at_the_merge(tmp_path, spec_factory):
    path = write_csv(tmp_path / "r.csv", good_rows(120))
    spec = spec_factory(path)
    run_campaign(spec)
    part = Path(spec.out_dir) / ".parts" / "0000001.results.jsonl"
    part.write_text("".join(part.read_text().splitlines(keepends=True)[1:]))  # row 51 vanishes
    before = (Path(spec.out_dir) / "manifest.jsonl").read_bytes()
    with pytest.raises(errors.ConfigError, match="do not account for every row.*row 51"):
        run_campaign(spec)
    assert (Path(spec.out_dir) / "manifest.jsonl").read_bytes() == before  # the old output stays whole
    assert not list(Path(spec.out_dir).rglob("*.tmp"))


def test_spreadsheet_formulas_in_rows_are_text_in_the_csv_files(tmp_path, spec_factory):
    hostile = '=HYPERLINK("https://evil.example","Click")'
    path = write_csv(
        tmp_path / "r.csv",
        [
            [hostile, "+Ann", "2026-01-01", "-1+2"],
            ["@b@x.com", "Bob", "=1", "M"],
            ["\t-c@x.com", "Cy", "2026-02-01", "M"],
        ],
    )
    result = run_campaign(spec_factory(path, tags={"utm_source": "=cmd|' /C calc'!A0"}))
    out = Path(result.out_dir)
    for name in ("manifest.csv", "errors.csv"):
        with (out / name).open(newline="", encoding="utf-8") as fh:
            cells = [cell for line in csv.reader(fh) for cell in line]
        assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], name
    manifest = read_csv(out / "manifest.csv")
    assert {m["recipient"] for m in manifest} == {"'" + hostile, "'-c@x.com"}
    assert {m["utm_source"] for m in manifest} == {"'=cmd|' /C calc'!A0"}
    raw = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert {m["recipient"] for m in raw} == {hostile, "-c@x.com"}  # programs get the exact values


def test_deep_json_template_and_state_are_clear_errors(tmp_path, spec_factory, template_file):
    path = write_csv(tmp_path / "r.csv", good_rows(2))
    spec = spec_factory(path)
    template_file.write_text('{"card":' * 5_000 + "1" + "}" * 5_000)
    with pytest.raises(errors.ConfigError, match="template .*nested deeper than"):
        run_campaign(spec)
    template_file.write_text(json.dumps(TEMPLATE))
    spec = spec_factory(path)
    run_campaign(spec)
    (Path(spec.out_dir) / "campaign.json").write_text("[" * 10_000 + "]" * 10_000)
    with pytest.raises(errors.ConfigError, match="unreadable campaign state.*nested deeper"):
        run_campaign(spec)


def test_ref_ids_never_start_with_a_dash_so_qr_files_and_manifest_cells_stay_plain(tmp_path, spec_factory):
    # A refId starting with "-" would be neutralised in manifest.csv (a formula start) and would read
    # as an option in a shell; campaign refIds fold the first character onto a letter instead.
    path = write_csv(tmp_path / "r.csv", good_rows(3))
    spec = spec_factory(path)
    states = [CampaignState(f"c{n}", f"{n:064x}", 1_767_225_600_000, spec.fingerprint()) for n in range(300)]
    ref_ids = [state.ref_id(row[0]) for state in states for row in good_rows(3)]
    assert len(set(ref_ids)) == len(ref_ids) and all(r[0] not in "-_" and len(r) == 32 for r in ref_ids)
    result = run_campaign(spec)
    assert result.ok == 3
    manifest = read_csv(Path(spec.out_dir) / "manifest.csv")
    entries = [json.loads(x) for x in (Path(spec.out_dir) / "manifest.jsonl").read_text().splitlines()]
    assert sorted(m["ref_id"] for m in manifest) == sorted(e["ref_id"] for e in entries)
    assert all((Path(spec.out_dir) / e["qr_svg"]).is_file() for e in entries)


def test_template_columns_missing_from_the_file(tmp_path, spec_factory):
    path = write_csv(tmp_path / "r.csv", [["a@x", "A"]], header=("email", "first_name"))
    with pytest.raises(errors.ConfigError, match="joined, member_no"):
        run_campaign(spec_factory(path))


def test_rerun_is_idempotent_and_another_campaign_is_refused(tmp_path, spec_factory):
    path = write_csv(tmp_path / "r.csv", good_rows(120))
    spec = spec_factory(path)
    first = run_campaign(spec)
    before = (Path(spec.out_dir) / "manifest.jsonl").read_bytes()
    again = run_campaign(spec)
    assert again.resumed_chunks == 3 and (Path(spec.out_dir) / "manifest.jsonl").read_bytes() == before
    assert first.ok == again.ok == 120
    write_csv(path, good_rows(121))
    with pytest.raises(errors.ConfigError, match="another campaign"):
        run_campaign(spec_factory(path))
    restarted = run_campaign(spec_factory(path), restart=True)
    assert restarted.ok == 121 and restarted.resumed_chunks == 0


#: The command line as a user runs it (``python -m linkkit.cli.main`` warns about the double import).
LINKKIT = [sys.executable, "-c", "import sys; from linkkit.cli.main import main; sys.exit(main())"]


def _run_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*LINKKIT, "campaign", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def test_killed_halfway_then_resumed_gives_the_same_output(tmp_path, template_file):
    rows = tmp_path / "r.csv"
    write_csv(rows, good_rows(3000))
    env = {**os.environ, "LINKKIT_CARD_ID": CARD_ID, "LINKKIT_CERTIFICATE_ID": CERTIFICATE_ID}
    killed, reference = tmp_path / "killed", tmp_path / "reference"
    args = [str(rows), "--template", str(template_file), "--no-snippets", "-j", "2"]
    proc = _run_cli([*args, "--out", str(killed)], env)
    parts = killed / ".parts"
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    try:
        while time.monotonic() < deadline and len(list(parts.glob("*.done.json"))) < 2:
            workers |= children(proc.pid)
            time.sleep(0.02)
        assert len(workers) == 2
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # The workers see their parent gone, finish the row at hand, drop their chunk and exit.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers), "a worker outlived its parent"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not list(killed.rglob("*.tmp")), "a temporary file was left"
    done_before = len(list(parts.glob("*.done.json")))
    assert 0 < done_before < 6 and not (killed / "manifest.jsonl").exists()
    # An uninterrupted run with the same campaign state (same secret, same timestamps).
    reference.mkdir()
    shutil.copy(killed / "campaign.json", reference / "campaign.json")
    assert (
        subprocess.run(
            [*LINKKIT, "campaign", *args, "--out", str(reference)],
            env=env,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    resumed = subprocess.run(
        [*LINKKIT, "campaign", *args, "--out", str(killed), "--json"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["resumed_chunks"] >= done_before and summary["ok"] == 3000
    for name in ("manifest.jsonl", "manifest.csv", "cards.jsonl", "errors.csv"):
        assert (killed / name).read_bytes() == (reference / name).read_bytes(), name
    refs = [json.loads(x)["ref_id"] for x in (killed / "manifest.jsonl").read_text().splitlines()]
    assert len(refs) == len(set(refs)) == 3000
    assert len(list((killed / "qr").glob("*.svg"))) == 3000
    # Off a terminal, progress is one summary line on stderr.
    assert re.fullmatch(r"campaign: 3,000 rows in [0-9.,]+ s \([0-9,]+ rows/s\)\n", resumed.stderr.decode())


@pytest.mark.slow
def test_ten_thousand_rows_with_qr_codes_decoded_back(tmp_path, spec_factory):
    path = write_csv(tmp_path / "r.csv", good_rows(10_000))
    result = run_campaign(spec_factory(path, qr_formats=("svg", "png"), workers=2, chunk_size=500))
    assert result.ok == 10_000 and result.failed == 0
    out = Path(result.out_dir)
    manifest = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert len({m["ref_id"] for m in manifest}) == 10_000
    for entry in random.Random(7).sample(manifest, 60):
        decoded = decode(Image.open(out / entry["qr_png"]))
        assert [d.data.decode() for d in decoded] == [entry["link"]]


def test_card_warnings_are_counted_and_listed_and_fail_rows_only_when_strict(tmp_path, spec_factory, template_file):
    template = json.loads(json.dumps(TEMPLATE))
    template["card"]["data"][0]["attributes"]["fooBar"] = "{{first_name}}"
    template_file.write_text(json.dumps(template))
    path = write_csv(tmp_path / "r.csv", good_rows(3))
    result = run_campaign(spec_factory(path))
    assert (result.ok, result.failed, result.warnings) == (3, 0, 3)
    warnings = read_csv(Path(result.out_dir) / "warnings.csv")
    assert [(w["row"], w["line"], w["rule"]) for w in warnings] == [
        ("1", "2", "unknown-attribute"),
        ("2", "3", "unknown-attribute"),
        ("3", "4", "unknown-attribute"),
    ]
    assert warnings[0]["field"] == "row 1: card.data[0].attributes.fooBar"
    dry = validate_campaign(spec_factory(path), on_warning=lambda line: None)
    assert (dry.ok, dry.warnings) == (3, 3)
    strict = run_campaign(spec_factory(path, strict=True, out_dir=str(tmp_path / "strict")))
    assert (strict.ok, strict.failed, strict.warnings) == (0, 3, 0)
    errors_csv = read_csv(tmp_path / "strict" / "errors.csv")
    assert all("refused in strict mode" in e["reason"] for e in errors_csv)
