"""scripts/mutation.py itself, on a tiny package in tmp_path: killed, survived, equivalent, real files untouched.

The runner refuses to start once linkkit is imported (its forked children must import the mutant's
copy), and this test process has imported it: so the runner runs in a fresh interpreter, pointed at
the tiny repository by setting its ROOT, TARGETS and EQUIVALENT.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TINY = """\
def clamp(n: int) -> int:
    if n > 10:
        n = 10
    return n


UNUSED = 7
"""

TINY_TEST = """\
from linkkit.tiny import clamp


def test_clamp():
    assert clamp(11) == 10
    assert clamp(3) == 3
"""

DRIVER = """\
import importlib.util, sys
from pathlib import Path

spec = importlib.util.spec_from_file_location("mutation", {script!r})
mutation = importlib.util.module_from_spec(spec)
sys.modules["mutation"] = mutation
spec.loader.exec_module(mutation)
mutation.ROOT = Path({repo!r})
mutation.TARGETS = (mutation.Target(path="linkkit/tiny.py", tests=("tests/test_tiny.py",)),)
mutation.EQUIVALENT = (
    mutation.Equivalent(
        path="linkkit/tiny.py", line="if n > 10:", mutation="`>` -> `>=`", reason="clamp(10) is 10 either way"
    ),
)
sys.exit(mutation.main(["--json", {out!r}, "--timeout", "30", *sys.argv[1:]]))
"""


def _digests(repo: Path) -> dict[str, str]:
    return {str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest() for p in repo.rglob("*.py")}


def test_the_runner_kills_keeps_names_equivalents_and_never_edits_the_real_files(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "linkkit").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "linkkit" / "__init__.py").write_text("")
    (repo / "linkkit" / "tiny.py").write_text(TINY)
    (repo / "tests" / "test_tiny.py").write_text(TINY_TEST)
    before = _digests(repo)
    out = tmp_path / "results.json"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(script=str(ROOT / "scripts" / "mutation.py"), repo=str(repo), out=str(out)))

    run = subprocess.run(
        [sys.executable, str(driver), "--min-score", "99"], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )

    results = json.loads(out.read_text())
    status = {(r["line"], r["mutation"]): r["status"] for r in results["results"]}
    assert status[2, "`>` -> `>=`"] == "equivalent"  # no test can see it, and it is named
    assert status[2, "`10` -> `11`"] == "killed"  # clamp(11) is then 11
    assert status[2, "empty the body of `if n > 10:`"] == "killed"
    assert status[3, "`10` -> `11`"] == "killed"
    assert status[7, "`7` -> `8`"] == "survived"  # no test reads UNUSED
    assert status[7, "`7` -> `6`"] == "survived"
    assert "survived: linkkit/tiny.py:7" in run.stdout
    # below --min-score: the exit code says so (make mutation can gate on it)
    assert run.returncode == 1, run.stdout + run.stderr
    assert 0 < results["score"] < 99
    assert _digests(repo) == before
    assert not list(repo.rglob("__pycache__"))  # it compiled its copy, not the repository
