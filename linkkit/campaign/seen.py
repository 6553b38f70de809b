"""Duplicate detection for recipient keys in constant memory: a private SQLite file, not a dict.

A dict of every key seen grows with the list (about 150 bytes a recipient in CPython); SQLite keeps
a bounded page cache in memory and the rest on disk. The database is SQLite's private temporary
file (``sqlite3.connect("")``): unlinked as soon as it is created, so nothing is left behind, even
after ``kill -9``. Keys are stored as 16-byte BLAKE2b digests of the case-folded key.
"""

from __future__ import annotations

import hashlib
import sqlite3
from types import TracebackType
from typing import Final

#: Page cache of the key store, in KiB (SQLite's negative ``cache_size``).
CACHE_KIB: Final = 4096
_COMMIT_EVERY: Final = 5000


class SeenKeys:
    """``first_row(key, row)``: the row where ``key`` was first seen (``row`` itself when new)."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE seen (digest BLOB PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID")
        self._db.execute("BEGIN")
        self._pending = 0

    def first_row(self, key: str, row: int) -> int:
        digest = hashlib.blake2b(key.casefold().encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (digest, row)).rowcount == 1:
            first = row
        else:
            first = int(self._db.execute("SELECT row FROM seen WHERE digest = ?", (digest,)).fetchone()[0])
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._pending = 0
        return first

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SeenKeys:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.close()
