"""Write files all or nothing: to a temporary name in the same folder, then ``os.replace``.

A crash or Ctrl-C leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str], *, fsync: bool = False, permissions: int = 0o644
) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; it replaces ``path`` only when the block succeeds.

    :param permissions: of the new file (``mkstemp`` would leave it 0600, which a web server
        serving campaign output could not read); secrets pass ``0o600``.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, permissions)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False, permissions: int = 0o644) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_writer(path, fsync=fsync, permissions=permissions) as fh:
        fh.write(data)
