"""One PostgreSQL database as the partner stores use it: psycopg 3, a pool per process, clean errors.

* The driver (``psycopg`` and ``psycopg_pool``, the ``linkkit[postgresql]`` extra) is imported when a
  PostgreSQL store is first made, so ``import linkkit.partner`` works without it.
* The schema is checked (or upgraded) with a connection of its own when the store is made; the
  pool opens on first use. A store built in a server's master process before it forks (gunicorn
  ``--preload``) therefore opens its connections in each worker, and a pool that was in use when
  the process forked is left to the parent: the child opens its own (a socket shared across a
  fork would mix two processes' queries).
* Connections are in autocommit: each rule is one statement, its own transaction, one round trip.
* Errors become :class:`~linkkit.errors.StoreError` naming the server and the SQLSTATE, never the
  password, and never a row's values (a unique-violation detail can carry a refId).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from linkkit.errors import ConfigError, MissingDependencyError, StoreError
from linkkit.partner.stores import pg_schema

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

#: Seconds to wait for a connection to the server (and for a free connection of the pool).
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
_OPEN: weakref.WeakSet[PostgreSQLDatabase] = weakref.WeakSet()


def _forget_pools_after_fork() -> None:
    for database in list(_OPEN):
        database._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools_after_fork)


def describe(conninfo: str) -> str:
    """``user@host:port/dbname`` of a connection string or URL, without its password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(conninfo)
    except Exception:  # a malformed string: say nothing of its content
        return "(malformed connection string)"
    user = f"{params['user']}@" if params.get("user") else ""
    host = str(params.get("host") or params.get("hostaddr") or "localhost")
    port = f":{params['port']}" if params.get("port") else ""
    return f"{user}{host}{port}/{params.get('dbname') or ''}"


def store_error(action: str, where: str, exc: BaseException) -> StoreError:
    """A :class:`StoreError` for a driver error: what failed, on which server, and why (SQLSTATE and
    the primary message only: the detail line can quote a row)."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) or str(exc).strip().splitlines()[0:1]
    reason = primary if isinstance(primary, str) else (primary[0] if primary else type(exc).__name__)
    state = getattr(exc, "sqlstate", None)
    return StoreError(f"PostgreSQL store {where}: cannot {action}: {reason}" + (f" [{state}]" if state else ""))


class PostgreSQLDatabase:
    """A lazily opened, fork-aware psycopg connection pool on one database.

    :param conninfo: a ``postgresql://`` URL or a libpq ``key=value`` string.
    :param migrate: apply missing schema migrations now; ``False`` only checks the version
        (deployments whose application role may not run DDL use ``linkkit db upgrade`` at deploy
        time); ``None`` does neither (the schema tools).
    :param min_size: connections the pool keeps open.
    :param max_size: at most this many (one per serving thread is enough).
    :param timeout: seconds to wait for the server or for a free connection.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        migrate: bool | None = True,
        min_size: int = 1,
        max_size: int = 8,
        timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        if not isinstance(conninfo, str) or not conninfo:
            raise ConfigError("store_url: a postgresql:// URL or a libpq connection string is required")
        if min_size < 0 or max_size < max(1, min_size):
            raise ValueError("pool sizes: need 0 <= min_size <= max_size and max_size >= 1")
        try:
            import psycopg
            import psycopg_pool
        except ImportError as exc:
            raise MissingDependencyError(
                "the PostgreSQL store", package="psycopg 3 and psycopg_pool", extra="postgresql"
            ) from exc
        self._psycopg = psycopg
        self._pool_class = psycopg_pool.ConnectionPool
        self._conninfo = conninfo
        self.where = describe(conninfo)
        self._sizes = (min_size, max_size)
        self._timeout = timeout
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self._inherited: list[object] = []  # pools of a parent process: kept, never touched
        self._lock = threading.Lock()
        if migrate is not None:
            with self.direct() as conn:
                if migrate:
                    pg_schema.upgrade(conn)
                else:
                    pg_schema.require_current(conn)
        _OPEN.add(self)

    def __repr__(self) -> str:
        return f"PostgreSQLDatabase({self.where!r})"

    @contextmanager
    def direct(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection of its own (schema work, tools), closed on exit."""
        try:
            conn = self._psycopg.connect(self._conninfo, autocommit=True, connect_timeout=max(1, int(self._timeout)))
        except self._psycopg.Error as exc:
            raise store_error("connect", self.where, exc) from None
        try:
            with conn:
                yield conn
        except self._psycopg.Error as exc:
            raise store_error("run a statement", self.where, exc) from None

    def _open_pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        with self._lock:
            if self._pool is None:
                min_size, max_size = self._sizes
                self._pool = self._pool_class(
                    self._conninfo,
                    min_size=min_size,
                    max_size=max_size,
                    kwargs={"autocommit": True},
                    timeout=self._timeout,
                    name="linkkit",
                    open=True,
                )
            return self._pool

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection in autocommit mode; driver errors become :class:`StoreError`."""
        pool = self._pool or self._open_pool()
        try:
            with pool.connection() as conn:
                yield conn
        except self._psycopg.Error as exc:
            # psycopg_pool.PoolTimeout (no free connection in time) is an OperationalError too
            raise store_error("run a statement", self.where, exc) from None

    def _after_fork(self) -> None:
        # In a child: the parent's pool (its sockets, its threads) is not ours to use or to close.
        if self._pool is not None:
            self._inherited.append(self._pool)
            self._pool = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the pool of this process (a new one opens if the store is used again)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
