"""The linters of ``make lint`` and the pre-commit hooks: ESLint holds the shim to its rules, and every hook
of .pre-commit-config.yaml runs from the tools the project installs (no download)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Final

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
# Every spelling seen so far, as a pattern that does not match its own source text, and each example below is
# cut in two, so that this file passes its own check.
_UNSHIPPED_NOTES: Final = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bSPEC\.md",  # the project brief
        r"\b(?:SPEC|research)\s?§",  # a numbered section of the brief or of the research
        r"\bresearch/",  # the research folder
        r"\bresearch\s+notes?\b",
        r"\bper\s+the\s+spec\b",
        r"\b(?:samsung[-]wallet[-]spec|peer[-]anchors|aesthetics[-]anchors|env[-]and[-]perf)\b",  # the research files
        r"\bseeds/",  # the folder of the source documents
        r"(?<![a-z])seeds?[\s_]?0\d\d",  # a source document by number
        r"(?<![a-z])the[\s_]seeds?(?![a-z])",  # also in test names
        r"(?<![a-z])seed(?:'s|s')",
        r"(?<![a-z])seed[\s_]examples?\b",
        r"§\s?3\.4\.\d",  # the S2P document's section numbers: name Samsung's page and section instead
        r"§[a-z]",  # a section of the research named by a word; standards number theirs
    )
)


def _mentions_of_unshipped_notes(text: str) -> list[str]:
    return [found.group(0) for pattern in _UNSHIPPED_NOTES for found in pattern.finditer(text)]


def _offenders(root: Path, names: list[str]) -> list[str]:
    """``file:line: spelling | line`` for every mention of the unshipped notes in ``names`` (paths under root)."""
    out = []
    for name in names:
        path = root / name
        if not path.is_file():  # not a file: deleted in the worktree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:  # a binary file (an image): its bytes can spell anything
            continue
        for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
            found = _mentions_of_unshipped_notes(line)
            if found:
                out.append(f"{name}:{number}: {', '.join(map(repr, found))} | {line.strip()[:100]}")
    return out


@pytest.mark.parametrize(
    "line",
    [
        "(" + "SPEC" + ".md §3.8)",
        "(spec" + " §2.1)",
        "see " + "Research" + "/peer" + "-anchors.md",
        "[C] (research" + " §5.1)",
        "the research" + " notes in linkkit.cards._kinds",
        "the token, per" + " the spec",
        "(peer" + "-anchors §3 item 8)",
        "the " + "seeds" + "/ folder",
        "(seed" + " 004)",
        "seeds" + " 003, 004",
        "Seed" + " 001's saveToPayUI IDL",
        "not the absolute URL the" + " seed requires",
        "def test_application_codes_are_the" + "_seeds():",
        "members the se" + "ed's table lists",
        "# seed" + " examples",
        "UUID type of §3" + ".4.9",
        "(research" + " §" + "barcode: serialType)",
        "locale list (§" + "barcode, a gap)",
    ],
)
def test_the_unshipped_notes_check_catches_each_spelling(line: str) -> None:
    assert _mentions_of_unshipped_notes(line), line


@pytest.mark.parametrize(
    "line",
    [
        "the quiet zone is 10 modules (ISO/IEC 15417 §4.4.2)",
        "delta-seconds or an HTTP date, RFC 9110 §10.2.3",
        "Samsung's data types (https://developer.samsung.com/pay/save2pay/api-introduction.html)",
        'new=lambda: {"seed": 7}',  # a value in a test, not a note
        "the spec's JSON path",  # a campaign spec
        "docs/welcome-protocol.md",
    ],
)
def test_the_unshipped_notes_check_lets_the_rest_through(line: str) -> None:
    assert _mentions_of_unshipped_notes(line) == []


def test_the_offenders_are_named_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "fine.py").write_text("# RFC 9110 §5.5\n", "utf-8")
    bad_line = "# the body (se" + "ed 001 §3" + ".4.11)"
    (tmp_path / "bad.py").write_text(f"x = 1\n{bad_line}\n", "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\0the" + b" seed")
    bad = "bad.py:2: 'se" + "ed 001', '§3" + ".4.1' | " + bad_line
    assert _offenders(tmp_path, ["fine.py", "bad.py", "image.png", "gone.py"]) == [bad]


def test_no_tracked_file_points_at_unshipped_notes() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist has no git ls-files)")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.split(b"\0")
    names = [name.decode() for name in listed if name]
    assert len(names) > 100, "git ls-files listed almost nothing"
    offenders = _offenders(ROOT, names)
    assert not offenders, (
        "state the fact (and, where it is Samsung's, link its public page on developer.samsung.com), or say "
        f'"linkkit\'s choice: ...", instead of pointing at notes that are not shipped ({len(offenders)}):\n'
        + "\n".join(offenders)
    )
