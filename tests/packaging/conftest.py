"""One build for the packaging tests: the project copied as a working tree would hold it (with a key folder
made by ``linkkit keys generate --out keys/``, as the README says), then ``python -m build`` as a maintainer
runs it (the sdist, and the wheel built from that sdist)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Private keys left where a maintainer may leave them: the README's keys/ folder, one nested in tests/, one
#: beside the docs. None may reach the sdist (and the wheel holds only linkkit/, js/ and web/).
STRAY_KEYS = ("keys", "tests/keys")
STRAY_KEY_FILES = ("docs/partner-ca.key", "stray-partner.key")


@dataclass(frozen=True)
class Dist:
    tree: Path
    sdist: Path
    wheel: Path


def _working_tree_files() -> list[str]:
    """The files of the checkout as git sees them: tracked, plus untracked ones that .gitignore does not hide
    (what the build backend would see in the same tree)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    return [name for name in listed.decode().split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    if not (ROOT / ".git").exists():
        pytest.skip("the packaging tests build from a git checkout")
    tree = tmp_path_factory.mktemp("tree")
    for name in _working_tree_files():
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    linkkit = [sys.executable, "-m", "linkkit.cli.main"]
    for folder in STRAY_KEYS:
        subprocess.run([*linkkit, "keys", "generate", "--out", folder], cwd=tree, check=True, capture_output=True)
    for name in STRAY_KEY_FILES:
        shutil.copy2(tree / "keys" / "partner-ca.key", tree / name)
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the backend (hatchling) of the .venv, so the build needs no download.
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(tree)],
        check=True,
        capture_output=True,
    )
    (sdist,) = out.glob("linkkit-*.tar.gz")
    (wheel,) = out.glob("linkkit-*.whl")
    return Dist(tree=tree, sdist=sdist, wheel=wheel)
