"""Schema tools behind ``linkkit db``: where a store URL points, its schema version, and upgrading it.

Both engines version their schema (SQLite in ``PRAGMA user_version``, PostgreSQL in the
``linkkit_schema`` table) and apply missing migrations when a store is opened. Deployments that open
their stores with ``migrate=False`` (an application role without DDL rights) run
``linkkit db upgrade`` once per release instead.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from linkkit.errors import StoreError
from linkkit.partner.stores import pg_schema
from linkkit.partner.stores import sqlite as sqlite_store
from linkkit.partner.stores.urls import Engine, parse_store_url


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """One database's linkkit schema, as seen by this code."""

    engine: Engine
    #: ``user@host:port/dbname`` (never the password) or the SQLite file.
    where: str
    #: The version found before any upgrade (0: linkkit never wrote there).
    before: int
    #: The version now.
    version: int
    #: The version this code reads and writes.
    code_version: int

    @property
    def current(self) -> bool:
        return self.version == self.code_version

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "current": self.current}


def _sqlite_version(path: str) -> int:
    if path == ":memory:" or not Path(path).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: not a readable SQLite database ({exc})") from exc


def schema_status(url: str | os.PathLike[str], *, upgrade: bool = False) -> SchemaStatus:
    """The schema of the store ``url`` names; with ``upgrade``, apply the missing migrations first.

    :raises StoreError: unreachable, unreadable, or newer than this code.
    """
    engine, target = parse_store_url(url)
    if engine == "postgresql":
        from linkkit.partner.stores.pg_database import PostgreSQLDatabase

        database = PostgreSQLDatabase(target, migrate=None)
        with database.direct() as conn:
            before = pg_schema.current_version(conn)
            after = pg_schema.upgrade(conn)[1] if upgrade else before
        return SchemaStatus(engine, database.where, before, after, pg_schema.SCHEMA_VERSION)
    before = _sqlite_version(target)
    after = before
    if upgrade:
        sqlite_store.SQLiteStore(target).close()  # opening migrates (and refuses a newer file)
        after = _sqlite_version(target)
    elif before > sqlite_store.SCHEMA_VERSION:
        raise StoreError(f"{target}: schema version {before} is newer than this code's {sqlite_store.SCHEMA_VERSION}")
    return SchemaStatus(engine, target, before, after, sqlite_store.SCHEMA_VERSION)
