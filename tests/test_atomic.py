from __future__ import annotations

import os
import stat

import pytest

from linkkit._atomic import atomic_write, atomic_writer


def test_replaces_whole_files_with_readable_permissions(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(os.stat(path).st_mode) == 0o644
    atomic_write(path, b"secret", permissions=0o600)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(path) as fh:
        fh.write(b"half")
        raise RuntimeError("crash")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["f.txt"]
