"""``linkkit campaign``: exit codes that count failures, progress in its three modes, clean stops."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from linkkit.cli.main import main

from ..campaign.conftest import TEMPLATE, alive, children, write_csv
from ..conftest import CARD_ID, CERTIFICATE_ID

LINKKIT = [sys.executable, "-c", "import sys; from linkkit.cli.main import main; sys.exit(main())"]


def rows(n: int, start: int = 0) -> list[list[str]]:
    return [[f"user{i}@example.com", f"User {i}", "2026-01-01", f"M-{i:06d}"] for i in range(start, start + n)]


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("LINKKIT_CARD_ID", CARD_ID)
    monkeypatch.setenv("LINKKIT_CERTIFICATE_ID", CERTIFICATE_ID)
    template = tmp_path / "template.json"
    template.write_text(json.dumps(TEMPLATE))
    return write_csv(tmp_path / "r.csv", [*rows(3), ["bad@example.com", "B", "not a date", "M"]]), template


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_failed_row_fails_the_run_unless_allowed(capsys, inputs, tmp_path):
    recipients, template = inputs
    common = [str(recipients), "--template", str(template), "--no-snippets", "-j", "1"]
    code, out, err = run(capsys, "campaign", *common, "--out", str(tmp_path / "a"))
    assert code == 1 and "3 links made, 1 rows in" in out
    assert "1 row failed, more than --max-failures 0" in err
    code, out, err = run(capsys, "campaign", *common, "--out", str(tmp_path / "b"), "--max-failures", "1", "--json")
    assert code == 0 and json.loads(out)["failed"] == 1
    code, out, err = run(capsys, "campaign", *common, "--dry-run")
    assert code == 1 and "  line 5: row 4: card.data[0].attributes.startDate: column 'joined' must be" in out
    code, out, _ = run(capsys, "campaign", *common, "--dry-run", "--json", "--max-failures", "5")
    report = json.loads(out)
    assert code == 0 and (report["rows"], report["ok"], report["failed"]) == (4, 3, 1)
    assert [(e["row"], e["line"]) for e in report["errors"]] == [(4, 5)]


def test_locales_and_choices_suggest_close_matches(capsys, inputs):
    recipients, template = inputs
    common = ["campaign", str(recipients), "--template", str(template), "--dry-run"]
    code, _, err = run(capsys, *common, "--locale", "jp")
    assert code == 2 and "'jp': no button in this language" in err and "Did you mean 'ja'?" in err
    code, _, err = run(capsys, *common, "--locale", "frr")
    assert code == 2 and "Did you mean 'fr'?" in err
    code, _, err = run(capsys, *common, "--channel", "emial")
    assert code == 2 and "Did you mean 'email'?" in err
    code, _, err = run(capsys, *common, "--max-failure", "3")
    assert code == 2 and "Did you mean one of: '--max-failures'" in err
    code, _, _ = run(capsys, *common, "--locale", "pt_BR", "--max-failures", "1")
    assert code == 0


def _campaign(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*LINKKIT, "campaign", *args], capture_output=True, check=False, **kwargs)  # type: ignore[call-overload]


def test_progress_off_a_terminal_is_one_summary_line_or_json_when_asked(inputs, tmp_path):
    recipients, template = inputs
    write_csv(recipients, rows(1200))
    common = [str(recipients), "--template", str(template), "--no-snippets", "--qr", "none", "-j", "1"]
    plain = _campaign([*common, "--out", str(tmp_path / "a")])
    assert plain.returncode == 0, plain.stderr
    assert re.fullmatch(rb"campaign: 1,200 rows in [0-9.,]+ s \([0-9,]+ rows/s\)\n", plain.stderr), plain.stderr
    asked = _campaign([*common, "--out", str(tmp_path / "b"), "--progress", "json"])
    events = [json.loads(line) for line in asked.stderr.decode().splitlines()]
    assert events[0]["event"] == "progress" and events[0]["total"] == 1200
    assert events[-1] == {**events[-1], "event": "done", "done": 1200, "total": 1200}
    quiet = _campaign([*common, "--out", str(tmp_path / "c"), "--progress", "none"])
    assert quiet.returncode == 0 and quiet.stderr == b""


def test_progress_on_a_terminal_is_a_bar(inputs, tmp_path):
    recipients, template = inputs
    write_csv(recipients, rows(1200))
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    args = [str(recipients), "--template", str(template), "--out", str(tmp_path / "o"), "--no-snippets"]
    proc = subprocess.Popen(
        [*LINKKIT, "campaign", *args, "--qr", "none", "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other end is closed, the command is done
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"1200 links made" in out
    text = seen.decode()
    assert "\r" in text and "campaign" in text and "100%" in text and "1200/1200" in text and "rows/s" in text
    assert re.search(r"campaign: 1,200 rows in [0-9.,]+ s", text)
    assert '"event"' not in text


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_sigterm_stops_cleanly_and_the_run_resumes(inputs, tmp_path):
    recipients, template = inputs
    write_csv(recipients, rows(3000))
    out = tmp_path / "o"
    args = [str(recipients), "--template", str(template), "--out", str(out), "--no-snippets", "-j", "2"]
    proc = subprocess.Popen([*LINKKIT, "campaign", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list((out / ".parts").glob("*.done.json")):
            workers |= children(proc.pid)
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 130 and err.decode().strip().endswith("linkkit: aborted"), err
    assert "Traceback" not in err.decode()
    assert workers and not any(alive(pid) for pid in workers)
    assert not list(out.rglob("*.tmp")) and not (out / "manifest.jsonl").exists()
    resumed = _campaign([*args, "--json"])
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["ok"] == 3000 and summary["resumed_chunks"] >= 1


def test_card_warnings_pass_unless_strict(capsys, inputs, tmp_path):
    recipients, template = inputs
    card = json.loads(template.read_text())
    card["card"]["data"][0]["attributes"]["fooBar"] = "x"
    template.write_text(json.dumps(card))
    write_csv(recipients, rows(2))
    common = ["campaign", str(recipients), "--template", str(template), "--no-snippets", "-j", "1"]
    code, out, _ = run(capsys, *common, "--out", str(tmp_path / "a"))
    assert code == 0 and "2 links made, 0 rows in" in out and "2 card warnings in" in out
    code, out, _ = run(capsys, *common, "--dry-run")
    assert code == 0 and "2 card warnings" in out and "warning: row 1: card.data[0].attributes.fooBar" in out
    code, out, _ = run(capsys, *common, "--dry-run", "--json")
    assert code == 0 and [w["rule"] for w in json.loads(out)["warnings"]] == ["unknown-attribute"] * 2
    code, out, err = run(capsys, *common, "--out", str(tmp_path / "b"), "--strict")
    assert code == 1 and "0 links made, 2 rows in" in out
    code, _, err = run(capsys, *common, "--dry-run", "--lenient")
    assert code == 0 and "--lenient is deprecated" in err
    code, _, err = run(capsys, *common, "--dry-run", "--lenient", "--strict")
    assert code == 2 and "contradict" in err
