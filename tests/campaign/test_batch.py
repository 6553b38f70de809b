"""The resumable batch runner: chunks done once, resumes checked, temporaries swept, workers never orphaned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from linkkit import errors
from linkkit.campaign.batch import (
    ChunkParts,
    ChunkResult,
    folder_lock,
    iter_part_lines,
    job_state,
    run_chunks,
    sweep_temporaries,
)

from .conftest import alive, children


def square_odd(out_dir: str, index: int, items: Iterable[int]) -> ChunkResult:
    """A toy job: odd numbers are squared, even ones "fail"."""
    parts = ChunkParts(out_dir, index)
    ok = failed = 0
    with parts.writer("results") as results, parts.writer("errors") as errs:
        for item in items:
            if item % 2:
                results.write(json.dumps({"item": item, "square": item * item}) + "\n")
                ok += 1
            else:
                errs.write(json.dumps({"item": item}) + "\n")
                failed += 1
    return parts.done(ChunkResult(index, ok + failed, ok, failed))


@pytest.mark.parametrize("workers", [1, 2])
def test_every_item_once_in_order_then_resumed(tmp_path, workers):
    seen: list[int] = []
    totals = run_chunks(
        range(105), square_odd, str(tmp_path), out_dir=tmp_path, chunk_size=10, workers=workers, progress=seen.append
    )
    assert (totals.items, totals.ok, totals.failed, totals.resumed_chunks) == (105, 52, 53, 0)
    assert sorted(seen)[-1] == 105 and len(seen) == 11
    squares = [json.loads(line)["item"] for line in iter_part_lines(tmp_path, "results")]
    assert squares == list(range(1, 105, 2))
    again = run_chunks(range(105), square_odd, str(tmp_path), out_dir=tmp_path, chunk_size=10, workers=workers)
    assert again.resumed_chunks == 11 and (again.ok, again.failed) == (52, 53)


def test_a_done_chunk_that_does_not_match_the_input_is_refused(tmp_path):
    run_chunks(range(20), square_odd, str(tmp_path), out_dir=tmp_path, chunk_size=10)
    with pytest.raises(errors.ConfigError, match="does not match the input"):
        run_chunks(range(15), square_odd, str(tmp_path), out_dir=tmp_path, chunk_size=10)
    ChunkParts(tmp_path, 0).marker.write_text('{"items": ')
    with pytest.raises(errors.ConfigError, match="unreadable"):
        run_chunks(range(20), square_odd, str(tmp_path), out_dir=tmp_path, chunk_size=10)


def test_job_state_is_kept_and_another_job_is_refused(tmp_path):
    path = tmp_path / "out" / "job.json"
    state, resumed = job_state(path, fingerprint="f1", new=lambda: {"seed": 7}, what="import")
    assert (state, resumed) == ({"seed": 7, "fingerprint": "f1"}, False)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert job_state(path, fingerprint="f1", new=lambda: {"seed": 8}) == ({"seed": 7, "fingerprint": "f1"}, True)
    with pytest.raises(errors.ConfigError, match="holds another import"):
        job_state(path, fingerprint="f2", new=dict, what="import")
    assert job_state(path, fingerprint="f2", new=lambda: {"seed": 9}, restart=True)[0]["seed"] == 9
    path.write_text("[1]")
    with pytest.raises(errors.ConfigError, match="unreadable job state"):
        job_state(path, fingerprint="f2", new=dict)


def test_sweep_removes_atomic_temporaries_only(tmp_path):
    (tmp_path / ".manifest.csv.a1b2_c3d.tmp").write_text("half")
    (tmp_path / ".notes.tmp").write_text("mine")
    (tmp_path / "data.tmp").write_text("mine")
    assert sweep_temporaries(tmp_path, tmp_path / "missing") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", "data.tmp"]


def test_one_run_per_folder_at_a_time(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom linkkit.campaign.batch import folder_lock\n"
            "with folder_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(errors.ConfigError, match="another run"), folder_lock(tmp_path):
            pass
    finally:
        holder.kill()
        holder.communicate()
    with folder_lock(tmp_path):  # released by the holder's death
        pass


SLOW_JOB = textwrap.dedent(
    """
    import json, sys, time
    from linkkit.campaign.batch import ChunkParts, ChunkResult, run_chunks

    def slow(out_dir, index, items):
        parts = ChunkParts(out_dir, index)
        n = 0
        with parts.writer("results") as results:
            for item in items:
                time.sleep(0.05)
                results.write(json.dumps(item) + "\\n")
                n += 1
        return parts.done(ChunkResult(index, n, n, 0))

    if __name__ == "__main__":
        try:
            run_chunks(range(10_000), slow, sys.argv[1], out_dir=sys.argv[1], chunk_size=20, workers=2)
        except Exception as exc:
            sys.exit(f"error: {exc}")
    """
)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_workers_exit_when_the_parent_is_killed(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(SLOW_JOB)
    out = tmp_path / "out"
    parent = subprocess.Popen([sys.executable, str(script), str(out)], stdout=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = children(parent.pid)
        assert len(workers) == 2
        while not list((out / ".parts").glob("*.done.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers), "a worker outlived its parent"
    finally:
        parent.kill()
        parent.wait()
        for pid in workers:  # a failing run leaves no process behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not list(out.rglob("*.tmp")), "a worker left a temporary file"
    # Every chunk on disk is whole: its marker counts exactly the lines of its results part.
    for marker in (out / ".parts").glob("*.done.json"):
        index = int(marker.name.split(".")[0])
        lines = ChunkParts(out, index).path("results").read_text().splitlines()
        assert json.loads(marker.read_text())["items"] == len(lines) == 20


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_a_killed_worker_is_a_clean_error_and_the_run_resumes(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(SLOW_JOB.replace("range(10_000)", "range(200)"))
    out = tmp_path / "out"
    parent = subprocess.Popen([sys.executable, str(script), str(out)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not list((out / ".parts").glob("*.done.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(min(children(parent.pid)), signal.SIGKILL)
        _, err = parent.communicate(timeout=60)
    finally:
        parent.kill()
    assert parent.returncode == 1
    assert b"a worker process stopped before its chunk was done" in err
    resumed = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, check=False, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert len(list((out / ".parts").glob("*.done.json"))) == 10
