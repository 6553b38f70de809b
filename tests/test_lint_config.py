"""The linters of ``make lint`` and the pre-commit hooks: ESLint holds the shim to its rules, and every hook
of .pre-commit-config.yaml runs from the tools the project installs (no download)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

needs_eslint = pytest.mark.skipif(
    not ESLINT.exists(), reason="ESLint is installed by `make lint-js` (make test runs it)"
)


def _eslint_stdin(source: str, as_name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ESLINT), "--format", "json", "--stdin", "--stdin-filename", as_name],
        cwd=ROOT,
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_eslint
def test_the_shim_passes_eslint() -> None:
    done = subprocess.run([str(ESLINT), "js/"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_eslint
def test_eslint_refuses_what_the_shim_must_not_do() -> None:
    bad = (
        ";(function (root) {\n"
        "  'use strict'\n"
        "  leaked = 1\n"  # an implicit global
        "  if (root.spay == 0) return\n"  # a loose comparison other than `!= null`
        "  var unused = fetchLater()\n"  # an unused variable and an undeclared function
        "})(window)\n"
    )
    done = _eslint_stdin(bad, "js/bad.js")
    assert done.returncode == 1, done.stdout + done.stderr
    rules = {m["ruleId"] for m in json.loads(done.stdout)[0]["messages"] if m["severity"] == 2}
    assert {"no-undef", "eqeqeq", "no-unused-vars"} <= rules, rules
    # The shim's own idioms stay allowed: `x != null` and an unused catch binding (ES2015 needs one).
    fine = (
        ";(function (root) {\n"
        "  'use strict'\n"
        "  root.parsed = function (text) {\n"
        "    try {\n"
        "      return JSON.parse(text) != null\n"
        "    } catch (e) {\n"
        "      return false\n"
        "    }\n"
        "  }\n"
        "})(window)\n"
    )
    done = _eslint_stdin(fine, "js/fine.js")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_eslint
@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit comes with the [dev] extra")
def test_every_pre_commit_hook_runs_from_the_project_tools() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    subprocess.run([str(PRE_COMMIT), "validate-config", str(config)], cwd=ROOT, check=True, timeout=60)
    hooks = ("ruff", "ruff-format", "mypy", "eslint")
    listed = config.read_text("utf-8")
    assert all(f"- id: {hook}\n" in listed for hook in hooks)
    files = ["linkkit/errors.py", "js/spay-s2p.js", "js/spay-s2p.mjs"]
    # mypy is `make typecheck`'s job in the test command: here it is only resolved, not run over the tree again.
    env = dict(os.environ, SKIP="mypy", PRE_COMMIT_HOME=str(ROOT / ".venv" / "pre-commit-home"))
    done = subprocess.run(
        [str(PRE_COMMIT), "run", "--files", *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("ruff check", "ruff format", "eslint (js/)"):
        assert any(line.startswith(name) and line.endswith("Passed") for line in done.stdout.splitlines()), done.stdout
    assert (ROOT / ".venv" / "bin" / "mypy").exists()


# Notes the project was written from, which are not shipped: a comment that points at them points nowhere.
# Spelled in pieces so that this file does not match itself.
_UNSHIPPED_NOTES = ("SPEC" + ".md", "research" + "/", "seeds" + "/")


def _mentions_of_unshipped_notes(text: str) -> list[str]:
    return [note for note in _UNSHIPPED_NOTES if note.lower() in text.lower()]


def test_the_unshipped_notes_check_catches_each_spelling() -> None:
    assert _mentions_of_unshipped_notes("(" + "SPEC" + ".md §3.8)") == ["SPEC" + ".md"]
    assert _mentions_of_unshipped_notes("see " + "Research" + "/peer-anchors.md") == ["research" + "/"]
    assert _mentions_of_unshipped_notes("the " + "seeds" + "/ folder") == ["seeds" + "/"]
    assert _mentions_of_unshipped_notes("seed 001 §3.4.9, docs/welcome-protocol.md") == []


def test_no_tracked_file_points_at_unshipped_notes() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist has no git ls-files)")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.split(b"\0")
    names = [name.decode() for name in listed if name]
    assert len(names) > 100, "git ls-files listed almost nothing"
    offenders = []
    for name in names:
        path = ROOT / name
        if not path.is_file():  # deleted in the worktree, not yet committed
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if _mentions_of_unshipped_notes(line):
                offenders.append(f"{name}:{number}: {line.strip()[:100]}")
    assert not offenders, "state the fact, or link Samsung's public page, instead of:\n" + "\n".join(offenders)
