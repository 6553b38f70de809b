from __future__ import annotations

import pytest

from linkkit.resources import shipped_dir, shipped_file


def test_shipped_bundles_are_found():
    assert (shipped_dir("js") / "spay-s2p.js").is_file()
    assert shipped_file("js", "spay-s2p.js").name == "spay-s2p.js"


@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/passwd", "missing.js", ""])
def test_names_cannot_climb_out(name):
    with pytest.raises(FileNotFoundError):
        shipped_file("js", name)


def test_unknown_bundle():
    with pytest.raises(ValueError):
        shipped_dir("css")  # type: ignore[arg-type]
