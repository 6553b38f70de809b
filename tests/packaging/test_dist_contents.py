"""What the sdist and the wheel carry: no private key, no key folder, no maintainer script; the shim, the
artwork and the licence."""

from __future__ import annotations

import re
import tarfile
import zipfile
from pathlib import PurePosixPath

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from tests.packaging.conftest import STRAY_KEY_FILES, STRAY_KEYS, Dist

pytestmark = pytest.mark.packaging

_PEM_KEY = re.compile(rb"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.+?-----END \1PRIVATE KEY-----", re.DOTALL)


def _sdist_members(dist: Dist) -> dict[str, bytes]:
    with tarfile.open(dist.sdist) as tar:
        root = tar.getnames()[0].split("/")[0]
        return {
            m.name.removeprefix(root + "/"): tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def _wheel_members(dist: Dist) -> dict[str, bytes]:
    with zipfile.ZipFile(dist.wheel) as whl:
        return {name: whl.read(name) for name in whl.namelist()}


def _loadable_private_keys(members: dict[str, bytes]) -> list[str]:
    """Names of the files holding a PEM private key that really loads (tests quote broken ones on purpose)."""
    found = []
    for name, data in members.items():
        for block in _PEM_KEY.finditer(data):
            try:
                load_pem_private_key(block.group(0), password=None)
            except (ValueError, TypeError):
                continue
            found.append(name)
    return found


def test_the_tree_built_holds_real_private_keys(dist: Dist) -> None:
    # Without this the two tests below would pass on a tree that had nothing to leave out.
    keys = {
        str(p.relative_to(dist.tree)): p.read_bytes() for folder in STRAY_KEYS for p in (dist.tree / folder).iterdir()
    }
    keys |= {name: (dist.tree / name).read_bytes() for name in STRAY_KEY_FILES}
    # `linkkit keys generate` hides its folder from git; the build must keep it out on its own rules.
    assert all((dist.tree / folder / ".gitignore").read_text().splitlines()[-1] == "*" for folder in STRAY_KEYS)
    assert len(_loadable_private_keys(keys)) >= 2 * 3 + len(STRAY_KEY_FILES)


@pytest.mark.parametrize("kind", ["sdist", "wheel"])
def test_no_private_key_and_no_key_folder_is_packed(dist: Dist, kind: str) -> None:
    members = _sdist_members(dist) if kind == "sdist" else _wheel_members(dist)
    assert members, kind
    assert [n for n in members if "keys" in PurePosixPath(n).parts[:-1]] == []
    assert [n for n in members if n.endswith((".key", ".p12", ".pfx"))] == []
    assert _loadable_private_keys(members) == []


def test_sdist_holds_what_builds_and_tests_linkkit(dist: Dist) -> None:
    names = set(_sdist_members(dist))
    for needed in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "CONTRIBUTING.md", "js/build.sh"):
        assert needed in names
    assert "linkkit/__init__.py" in names and "tests/conftest.py" in names and "web/buttons/manifest.json" in names
    # CI's own script is no part of a release.
    assert not [n for n in names if n.startswith(".ci/")]


def test_wheel_ships_the_shim_and_artwork_but_no_maintainer_script(dist: Dist) -> None:
    names = set(_wheel_members(dist))
    # js/build.sh is in the tree (and the sdist) but is a maintainer's tool, not part of the shim.
    assert (dist.tree / "js" / "build.sh").is_file()
    assert not [n for n in names if n.endswith("build.sh")]
    assert [n for n in names if n.endswith(".sh")] == []
    shim = {n.removeprefix("linkkit/_shipped/js/") for n in names if n.startswith("linkkit/_shipped/js/")}
    assert "spay-s2p.min.js" in shim
    assert shim == {p.name for p in (dist.tree / "js").iterdir() if p.suffix != ".sh"}
    assert "linkkit/_shipped/web/buttons/manifest.json" in names
    assert "linkkit/py.typed" in names
    # Only linkkit's own package: no tests, demo, scripts or benchmarks beside it.
    assert {n.split("/")[0] for n in names} == {"linkkit", dist.wheel.name.split("-py3")[0] + ".dist-info"}
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
