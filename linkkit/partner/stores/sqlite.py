"""The embedded default :class:`~linkkit.partner.stores.contract.Store`: one SQLite file.

SQLite in WAL mode, one connection per thread (a connection is not shared across threads), and a
schema versioned with ``PRAGMA user_version``: each migration is a list of statements applied once,
in order, inside ``BEGIN IMMEDIATE`` so that two processes starting together do not both apply it.
Every worker process on one machine shares the file; several machines need
:class:`~linkkit.partner.stores.postgresql.PostgreSQLStore`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from linkkit.atw.replay import replay_keys
from linkkit.errors import ReplayError, StoreError
from linkkit.partner.records import (
    ActionSession,
    CardEventRecord,
    CardStatus,
    ClickLinkRecord,
    ClickOutcome,
    FunnelCount,
)
from linkkit.partner.stores.contract import (
    CLICK_COLUMNS,
    DEFAULT_REPLAY_WINDOW,
    DUPLICATE_LINK,
    PRUNE_EVERY,
    REPLAYED,
    check_beacon,
    click_link_record,
    click_link_values,
    click_refusal,
    funnel_rows,
    live_link_condition,
    remember_params,
)

_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        """CREATE TABLE card_events (
            id INTEGER PRIMARY KEY, card_id TEXT NOT NULL, ref_id TEXT NOT NULL, event TEXT NOT NULL,
            cc2 TEXT NOT NULL, callback TEXT, request_id TEXT NOT NULL, received_at REAL NOT NULL)""",
        "CREATE INDEX card_events_card ON card_events (card_id, ref_id, id)",
        """CREATE TABLE cards (
            card_id TEXT NOT NULL, ref_id TEXT NOT NULL, event TEXT NOT NULL, cc2 TEXT NOT NULL,
            callback TEXT, updated_at REAL NOT NULL, PRIMARY KEY (card_id, ref_id)) WITHOUT ROWID""",
        """CREATE TABLE action_sessions (
            card_id TEXT NOT NULL, ref_id TEXT NOT NULL, expected TEXT NOT NULL, fields TEXT NOT NULL,
            expires_at REAL NOT NULL, PRIMARY KEY (card_id, ref_id)) WITHOUT ROWID""",
        """CREATE TABLE click_links (
            link_id TEXT PRIMARY KEY, card_id TEXT NOT NULL, ref_id TEXT NOT NULL, created_at REAL NOT NULL,
            expires_at REAL, max_uses INTEGER, uses INTEGER NOT NULL DEFAULT 0, revoked_at REAL,
            channel TEXT, tags TEXT NOT NULL DEFAULT '[]') WITHOUT ROWID""",
    ),
    (
        """CREATE TABLE button_events (
            id INTEGER PRIMARY KEY, card_id TEXT NOT NULL, event TEXT NOT NULL, at REAL NOT NULL)""",
        "CREATE INDEX button_events_at ON button_events (at)",
        "CREATE INDEX card_events_received ON card_events (received_at)",
    ),
)
#: The schema version this code writes.
SCHEMA_VERSION: Final = len(_MIGRATIONS)
_REPLAY_TABLE: Final = (
    "CREATE TABLE IF NOT EXISTS replay.seen_requests (request_id TEXT PRIMARY KEY, seen_at REAL NOT NULL) WITHOUT ROWID"
)


def _schemas(conn: sqlite3.Connection) -> set[str]:
    return {str(row[1]) for row in conn.execute("PRAGMA database_list")}


_REMEMBER_ONE: Final = (
    "INSERT INTO replay.seen_requests (request_id, seen_at) VALUES (?, ?) "
    "ON CONFLICT (request_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen_at < ?"
)
_REMEMBER_TWO: Final = (
    "INSERT INTO replay.seen_requests (request_id, seen_at) VALUES (?, ?), (?, ?) "
    "ON CONFLICT (request_id) DO UPDATE SET seen_at = excluded.seen_at WHERE seen_at < ?"
)
_UPSERT_CARD: Final = (
    "INSERT INTO cards (card_id, ref_id, event, cc2, callback, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (card_id, ref_id) DO UPDATE SET event = excluded.event, cc2 = excluded.cc2, "
    "callback = COALESCE(excluded.callback, callback), updated_at = excluded.updated_at "
    "WHERE (event, cc2, callback) IS NOT (excluded.event, excluded.cc2, COALESCE(excluded.callback, callback)) "
    "RETURNING 1"
)
_INSERT_CLICK: Final = (
    "INSERT INTO click_links (link_id, card_id, ref_id, created_at, expires_at, max_uses, uses, revoked_at, "
    "channel, tags) VALUES (?,?,?,?,?,?,?,?,?,?)"
)
# Built from constants only (no input reaches the text).
_USE_CLICK: Final = (
    f"UPDATE click_links SET uses = uses + 1 WHERE link_id = ? AND {live_link_condition('?')} "  # noqa: S608
    f"RETURNING {CLICK_COLUMNS}"
)
_SELECT_CLICK: Final = f"SELECT {CLICK_COLUMNS} FROM click_links WHERE link_id = ?"  # noqa: S608


_FUNNEL: Final = (
    "SELECT date(at, 'unixepoch'), card_id, event, count(*) FROM button_events WHERE at >= ? AND at < ? "
    "GROUP BY 1, 2, 3 UNION ALL "
    "SELECT date(received_at, 'unixepoch'), card_id, event, count(*) FROM card_events "
    "WHERE received_at >= ? AND received_at < ? AND event IN ('ADDED', 'DELETED') GROUP BY 1, 2, 3"
)


def _click_record(row: Sequence[Any]) -> ClickLinkRecord:
    return click_link_record(row, json.loads)


class _ThreadOwner:
    """Lives in one thread's ``threading.local``: collected when the thread ends."""

    __slots__ = ("__weakref__",)


def _forget_connection(store_ref: weakref.ref[SQLiteStore], conn: sqlite3.Connection) -> None:
    store = store_ref()
    if store is not None:
        with store._lock:
            if conn in store._connections:
                store._connections.remove(conn)
    conn.close()


class SQLiteStore:
    """The default :class:`~linkkit.partner.stores.contract.Store`: one SQLite file (WAL), one connection per thread.

    :param path: the database file, created when missing; ``":memory:"`` keeps everything in one
        shared in-memory connection guarded by a lock (tests, demos).
    :param replay_window: seconds a request id is remembered (:data:`DEFAULT_REPLAY_WINDOW`).
    :param clock: returns epoch seconds.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        replay_window: float = DEFAULT_REPLAY_WINDOW,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if replay_window <= 0:
            raise ValueError("replay_window must be positive")
        self._path = str(path)
        self._memory = self._path == ":memory:"
        #: Request ids and token signatures go to their own file, written without fsync.
        self._replay_path = ":memory:" if self._memory else self._path + "-replay"
        self._replay_window = replay_window
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._inserts = 0
        self._shared: sqlite3.Connection | None = self._open() if self._memory else None
        with self._connection() as conn:
            self._migrate(conn)

    def __repr__(self) -> str:
        return f"SQLiteStore({self._path!r})"

    # -- connections ------------------------------------------------------------------------------

    def _attach_replay(self, conn: sqlite3.Connection) -> None:
        conn.execute("ATTACH DATABASE ? AS replay", (self._replay_path,))
        if not self._memory:
            conn.execute("PRAGMA replay.journal_mode=WAL")
            # Request ids live 150 s: losing them in an OS crash is harmless, so no fsync is paid
            # for them on every request (a checkpoint fsync costs milliseconds on slow disks).
            conn.execute("PRAGMA replay.synchronous=OFF")
        conn.execute(_REPLAY_TABLE)

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False, timeout=10.0)
            if not self._memory:
                conn.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL: durable across application crashes, one fsync per checkpoint.
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            try:
                self._attach_replay(conn)
            except sqlite3.DatabaseError:
                if self._memory:
                    raise
                # The replay file holds nothing durable: a damaged one is replaced.
                if "replay" in _schemas(conn):
                    conn.execute("DETACH DATABASE replay")
                for suffix in ("", "-wal", "-shm"):
                    Path(self._replay_path + suffix).unlink(missing_ok=True)
                self._attach_replay(conn)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the partner store {self._path}: {exc}") from exc
        with self._lock:
            self._connections.append(conn)
        return conn

    def _open_for_thread(self) -> sqlite3.Connection:
        """The calling thread's connection, closed when the thread ends: a threaded server (werkzeug,
        ``socketserver``) runs each connection in a new thread, and a connection kept after its
        thread is gone would hold its four file descriptors until :meth:`close`."""
        conn = self._local.conn = self._open()
        owner = self._local.owner = _ThreadOwner()
        weakref.finalize(owner, _forget_connection, weakref.ref(self), conn)
        return conn

    def _unavailable(self, exc: sqlite3.OperationalError) -> StoreError:
        # A full disk, a read-only file or a lock held too long is the store failing, not the
        # request: a StoreError, which the endpoints answer 503 with Retry-After.
        return StoreError(f"the partner store {self._path} cannot be used: {exc}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._memory:
            if self._shared is None:
                # a new in-memory database would have no tables and none of the data
                raise StoreError("this in-memory partner store is closed")
            with self._lock:
                try:
                    yield self._shared
                except sqlite3.OperationalError as exc:
                    raise self._unavailable(exc) from exc
            return
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open_for_thread()
        try:
            yield conn
        except sqlite3.OperationalError as exc:
            raise self._unavailable(exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self._path}: schema version {version} is newer than this code's {SCHEMA_VERSION}")
            for statements in _MIGRATIONS[version:]:
                for statement in statements:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot prepare the partner store {self._path}: {exc}") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def ping(self) -> None:
        """Raise :class:`~linkkit.errors.StoreError` unless both database files answer (``/readyz``)."""
        try:
            with self._connection() as conn:
                conn.execute("SELECT 1 FROM replay.seen_requests LIMIT 0").fetchall()
                conn.execute("SELECT 1 FROM cards LIMIT 0").fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"the partner store {self._path} does not answer: {exc}") from exc

    def close(self) -> None:
        """Close every connection this store opened (in every thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()
        self._shared = None

    # -- replay -----------------------------------------------------------------------------------

    @property
    def replay_window(self) -> float:
        """Seconds a request id or a signature is remembered."""
        return self._replay_window

    def check_and_remember(self, request_id: str, *, signature: bytes | None = None, token: str | None = None) -> None:
        # The request id is not signed: a captured token sent again under a new id is still a
        # replay, and its signature is unique per token.
        keys = replay_keys(request_id, signature, token=token)
        now = self._clock()
        horizon = now - self._replay_window
        sql = _REMEMBER_TWO if len(keys) == 2 else _REMEMBER_ONE
        params = remember_params(keys, now, horizon)
        # One statement: insert, or take over entries that aged out; anything else is a replay. (The
        # thread's connection is taken without the context manager: this runs on every request.)
        conn = None if self._memory else getattr(self._local, "conn", None)
        if conn is not None:
            try:
                stored = conn.execute(sql, params).rowcount
            except sqlite3.OperationalError as exc:
                raise self._unavailable(exc) from exc
        else:
            with self._connection() as conn:
                stored = conn.execute(sql, params).rowcount
        if stored < len(keys):
            raise ReplayError(REPLAYED)
        self._inserts += 1
        if self._inserts % PRUNE_EVERY == 0:
            self.prune()

    def remember_once(self, key: str, *, until: float) -> None:
        # Stored as if seen at ``until - window``: the window's own rule (take over what aged out,
        # prune what is older) then keeps the key exactly until ``until``.
        now = self._clock()
        params = remember_params([key], max(until, now) - self._replay_window, now - self._replay_window)
        with self._connection() as conn:
            if conn.execute(_REMEMBER_ONE, params).rowcount < 1:
                raise ReplayError(REPLAYED)

    def prune(self) -> int:
        """Delete replay records older than the window, and expired Request Action sessions; returns
        how many replay records went. Runs by itself every :data:`PRUNE_EVERY` accepted requests."""
        now = self._clock()
        with self._connection() as conn:
            deleted = conn.execute("DELETE FROM replay.seen_requests WHERE seen_at < ?", (now - self._replay_window,))
            conn.execute("DELETE FROM action_sessions WHERE expires_at <= ?", (now,))
        return int(deleted.rowcount)

    # -- card events ------------------------------------------------------------------------------

    def record_event(self, record: CardEventRecord) -> bool:
        with self._transaction() as conn:
            # The upsert decides: it changes the card's row only when the event, the country or the
            # callback differ from the latest; a retry of the latest event changes nothing and is not
            # logged again (Samsung asks partners to handle duplicate and retried events idempotently).
            changed = conn.execute(
                _UPSERT_CARD,
                (record.card_id, record.ref_id, record.event, record.cc2, record.callback, record.received_at),
            ).fetchone()
            if changed is None:
                return False
            conn.execute(
                "INSERT INTO card_events (card_id, ref_id, event, cc2, callback, request_id, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.card_id,
                    record.ref_id,
                    record.event,
                    record.cc2,
                    record.callback,
                    record.request_id,
                    record.received_at,
                ),
            )
            return True

    def card_status(self, card_id: str, ref_id: str) -> CardStatus | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT event, cc2, callback, updated_at FROM cards WHERE card_id = ? AND ref_id = ?",
                (card_id, ref_id),
            ).fetchone()
        if row is None:
            return None
        return CardStatus(card_id=card_id, ref_id=ref_id, event=row[0], cc2=row[1], callback=row[2], updated_at=row[3])

    def events(
        self, card_id: str | None = None, ref_id: str | None = None, *, limit: int = 100
    ) -> list[CardEventRecord]:
        sql = "SELECT card_id, ref_id, event, cc2, callback, request_id, received_at FROM card_events"
        params: list[object] = []
        if card_id is not None:
            sql += " WHERE card_id = ?"
            params.append(card_id)
            if ref_id is not None:
                sql += " AND ref_id = ?"
                params.append(ref_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        with self._connection() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [CardEventRecord(*row) for row in rows]

    # -- Request Action sessions ------------------------------------------------------------------

    def save_action_session(self, session: ActionSession) -> None:
        with self._connection() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO action_sessions (card_id, ref_id, expected, fields, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    session.card_id,
                    session.ref_id,
                    session.expected,
                    json.dumps(list(session.fields)),
                    session.expires_at,
                ),
            )

    def load_action_session(self, card_id: str, ref_id: str) -> ActionSession | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT expected, fields, expires_at FROM action_sessions WHERE card_id = ? AND ref_id = ? "
                "AND expires_at > ?",
                (card_id, ref_id, self._clock()),
            ).fetchone()
        if row is None:
            return None
        return ActionSession(
            card_id=card_id, ref_id=ref_id, expected=row[0], fields=tuple(json.loads(row[1])), expires_at=row[2]
        )

    def delete_action_session(self, card_id: str, ref_id: str) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM action_sessions WHERE card_id = ? AND ref_id = ?", (card_id, ref_id))

    # -- click-time links -------------------------------------------------------------------------

    def add_click_links(self, records: Sequence[ClickLinkRecord]) -> None:
        rows = [click_link_values(r, json.dumps) for r in records]
        try:
            with self._transaction() as conn:
                conn.executemany(_INSERT_CLICK, rows)
        except sqlite3.IntegrityError as exc:
            raise StoreError(DUPLICATE_LINK) from exc

    def use_click_link(self, link_id: str, now: float) -> tuple[ClickOutcome, ClickLinkRecord | None]:
        with self._connection() as conn:
            row = conn.execute(_USE_CLICK, (link_id, now)).fetchone()
        if row is not None:
            return ClickOutcome.OK, _click_record(row)
        record = self.get_click_link(link_id)
        return click_refusal(record, now), record

    def get_click_link(self, link_id: str) -> ClickLinkRecord | None:
        with self._connection() as conn:
            row = conn.execute(_SELECT_CLICK, (link_id,)).fetchone()
        return None if row is None else _click_record(row)

    def revoke_click_link(self, link_id: str, now: float) -> bool:
        with self._connection() as conn:
            cursor = conn.execute(
                "UPDATE click_links SET revoked_at = COALESCE(revoked_at, ?) WHERE link_id = ?", (now, link_id)
            )
        return cursor.rowcount > 0

    # -- the button funnel ------------------------------------------------------------------------

    def record_beacon(self, card_id: str, event: str, at: float) -> None:
        check_beacon(card_id, event)
        with self._connection() as conn:
            conn.execute("INSERT INTO button_events (card_id, event, at) VALUES (?, ?, ?)", (card_id, event, at))

    def funnel_counts(self, since: float, until: float) -> list[FunnelCount]:
        with self._connection() as conn:
            rows = conn.execute(_FUNNEL, (since, until, since, until)).fetchall()
        return funnel_rows(rows)
