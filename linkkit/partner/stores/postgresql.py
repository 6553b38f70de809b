"""The partner :class:`~linkkit.partner.stores.contract.Store` on PostgreSQL, for several workers on
several machines.

Every decision is one statement the server evaluates atomically, in autocommit (one round trip):

* replay: ``INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE seen_at < horizon``; the row count says
  whether each key was new (or aged out). Two workers inserting the same key at once: the second
  waits for the first's row, then finds it live and counts nothing.
* click-time links: ``UPDATE ... SET uses = uses + 1 WHERE <live> RETURNING``; under concurrent
  opens PostgreSQL re-checks the condition on the row each waiter finally sees, so a limit of one
  gives exactly one use however many machines race.
* Send Card State: an upsert of the card's state whose ``WHERE`` lets it change only when the
  event, country or callback differ, and the event row is inserted from its ``RETURNING``, in one
  statement.

::

    store = PostgreSQLStore("postgresql://linkkit@db.internal/shop")   # or open_store(url)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
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
from linkkit.partner.stores.pg_database import DEFAULT_CONNECT_TIMEOUT, PostgreSQLDatabase

_REMEMBER: Final = (
    "INSERT INTO linkkit_replay AS r (key, seen_at) VALUES {rows} "
    "ON CONFLICT (key) DO UPDATE SET seen_at = EXCLUDED.seen_at WHERE r.seen_at < %s"
)
_REMEMBER_ONE: Final = _REMEMBER.format(rows="(%s, %s)")
_REMEMBER_TWO: Final = _REMEMBER.format(rows="(%s, %s), (%s, %s)")
_RECORD_EVENT: Final = """
WITH changed AS (
    INSERT INTO linkkit_cards AS c (card_id, ref_id, event, cc2, callback, updated_at)
    VALUES (%(card_id)s, %(ref_id)s, %(event)s, %(cc2)s, %(callback)s, %(at)s)
    ON CONFLICT (card_id, ref_id) DO UPDATE SET event = EXCLUDED.event, cc2 = EXCLUDED.cc2,
        callback = COALESCE(EXCLUDED.callback, c.callback), updated_at = EXCLUDED.updated_at
    WHERE (c.event, c.cc2, c.callback)
        IS DISTINCT FROM (EXCLUDED.event, EXCLUDED.cc2, COALESCE(EXCLUDED.callback, c.callback))
    RETURNING 1
)
INSERT INTO linkkit_card_events (card_id, ref_id, event, cc2, callback, request_id, received_at)
SELECT %(card_id)s, %(ref_id)s, %(event)s, %(cc2)s, %(callback)s, %(request_id)s, %(at)s FROM changed
"""
_SAVE_SESSION: Final = (
    "INSERT INTO linkkit_action_sessions (card_id, ref_id, expected, fields, expires_at) VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (card_id, ref_id) DO UPDATE SET expected = EXCLUDED.expected, fields = EXCLUDED.fields, "
    "expires_at = EXCLUDED.expires_at"
)
_INSERT_CLICK: Final = (
    f"INSERT INTO linkkit_click_links ({CLICK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
)
# Built from constants only (no input reaches the text).
_USE_CLICK: Final = (
    "UPDATE linkkit_click_links SET uses = uses + 1 "  # noqa: S608
    f"WHERE link_id = %s AND {live_link_condition('%s')} RETURNING {CLICK_COLUMNS}"
)
_SELECT_CLICK: Final = f"SELECT {CLICK_COLUMNS} FROM linkkit_click_links WHERE link_id = %s"  # noqa: S608
_EVENT_COLUMNS: Final = "card_id, ref_id, event, cc2, callback, request_id, received_at"
_DAY: Final = "to_char(to_timestamp({}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
# Built from constants only (no input reaches the text).
_FUNNEL: Final = (
    f"SELECT {_DAY.format('at')}, card_id, event, count(*) FROM linkkit_button_events "  # noqa: S608
    "WHERE at >= %(since)s AND at < %(until)s GROUP BY 1, 2, 3 UNION ALL "
    f"SELECT {_DAY.format('received_at')}, card_id, event, count(*) FROM linkkit_card_events "
    "WHERE received_at >= %(since)s AND received_at < %(until)s AND event IN ('ADDED', 'DELETED') GROUP BY 1, 2, 3"
)


def _click_record(row: Sequence[Any]) -> ClickLinkRecord:
    return click_link_record(row, tuple)  # jsonb arrives decoded


class PostgreSQLStore:
    """The partner store on one PostgreSQL database (see the module docstring).

    :param conninfo: ``postgresql://user:password@host:5432/dbname`` or a libpq ``key=value`` string
        (``PG*`` environment variables fill what it leaves out); the password never appears in
        messages or ``repr``.
    :param replay_window: seconds a request id is remembered (:data:`DEFAULT_REPLAY_WINDOW`).
    :param clock: returns epoch seconds (the application's clock decides, as for SQLite).
    :param migrate: apply missing schema migrations when the store is made (default); ``False`` only
        checks that the schema is current (run ``linkkit db upgrade`` at deploy time instead).
    :param min_size: pooled connections kept open in each process.
    :param max_size: pooled connections at most, per process (one per serving thread).
    :param timeout: seconds to wait for the server, or for a free pooled connection.
    :raises StoreError: the server cannot be reached, or its schema is newer than this code.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        replay_window: float = DEFAULT_REPLAY_WINDOW,
        clock: Callable[[], float] = time.time,
        migrate: bool = True,
        min_size: int = 1,
        max_size: int = 8,
        timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        if replay_window <= 0:
            raise ValueError("replay_window must be positive")
        self._replay_window = replay_window
        self._clock = clock
        self._inserts = 0
        self.database = PostgreSQLDatabase(
            conninfo, migrate=migrate, min_size=min_size, max_size=max_size, timeout=timeout
        )
        self._connection = self.database.connection

    def __repr__(self) -> str:
        return f"PostgreSQLStore({self.database.where!r})"

    def ping(self) -> None:
        """Raise :class:`~linkkit.errors.StoreError` unless the server answers a statement within the pool's
        timeout (``/readyz``)."""
        with self._connection() as conn:
            conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        """Close this process's pooled connections."""
        self.database.close()

    # -- replay -----------------------------------------------------------------------------------

    @property
    def replay_window(self) -> float:
        """Seconds a request id or a signature is remembered."""
        return self._replay_window

    def check_and_remember(self, request_id: str, *, signature: bytes | None = None, token: str | None = None) -> None:
        keys = replay_keys(request_id, signature, token=token)
        now = self._clock()
        horizon = now - self._replay_window
        sql = _REMEMBER_TWO if len(keys) == 2 else _REMEMBER_ONE
        params = remember_params(keys, now, horizon)
        with self._connection() as conn:
            if conn.execute(sql, params).rowcount < len(keys):
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
        how many replay records went. Each process runs it every :data:`PRUNE_EVERY` accepted requests."""
        now = self._clock()
        with self._connection() as conn:
            deleted = conn.execute("DELETE FROM linkkit_replay WHERE seen_at < %s", (now - self._replay_window,))
            conn.execute("DELETE FROM linkkit_action_sessions WHERE expires_at <= %s", (now,))
        return deleted.rowcount

    # -- card events ------------------------------------------------------------------------------

    def record_event(self, record: CardEventRecord) -> bool:
        params = {
            "card_id": record.card_id,
            "ref_id": record.ref_id,
            "event": record.event,
            "cc2": record.cc2,
            "callback": record.callback,
            "request_id": record.request_id,
            "at": record.received_at,
        }
        with self._connection() as conn:
            return conn.execute(_RECORD_EVENT, params).rowcount == 1

    def card_status(self, card_id: str, ref_id: str) -> CardStatus | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT event, cc2, callback, updated_at FROM linkkit_cards WHERE card_id = %s AND ref_id = %s",
                (card_id, ref_id),
            ).fetchone()
        if row is None:
            return None
        return CardStatus(card_id=card_id, ref_id=ref_id, event=row[0], cc2=row[1], callback=row[2], updated_at=row[3])

    def events(
        self, card_id: str | None = None, ref_id: str | None = None, *, limit: int = 100
    ) -> list[CardEventRecord]:
        with self._connection() as conn:
            if card_id is None:
                cursor = conn.execute(
                    f"SELECT {_EVENT_COLUMNS} FROM linkkit_card_events ORDER BY id DESC LIMIT %s",  # noqa: S608
                    (limit,),
                )
            elif ref_id is None:
                cursor = conn.execute(
                    f"SELECT {_EVENT_COLUMNS} FROM linkkit_card_events WHERE card_id = %s "  # noqa: S608
                    "ORDER BY id DESC LIMIT %s",
                    (card_id, limit),
                )
            else:
                cursor = conn.execute(
                    f"SELECT {_EVENT_COLUMNS} FROM linkkit_card_events WHERE card_id = %s AND ref_id = %s "  # noqa: S608
                    "ORDER BY id DESC LIMIT %s",
                    (card_id, ref_id, limit),
                )
            rows = cursor.fetchall()
        return [CardEventRecord(*row) for row in rows]

    # -- Request Action sessions ------------------------------------------------------------------

    def save_action_session(self, session: ActionSession) -> None:
        from psycopg.types.json import Jsonb

        with self._connection() as conn:
            conn.execute(
                _SAVE_SESSION,
                (session.card_id, session.ref_id, session.expected, Jsonb(list(session.fields)), session.expires_at),
            )

    def load_action_session(self, card_id: str, ref_id: str) -> ActionSession | None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT expected, fields, expires_at FROM linkkit_action_sessions "
                "WHERE card_id = %s AND ref_id = %s AND expires_at > %s",
                (card_id, ref_id, self._clock()),
            ).fetchone()
        if row is None:
            return None
        return ActionSession(card_id=card_id, ref_id=ref_id, expected=row[0], fields=tuple(row[1]), expires_at=row[2])

    def delete_action_session(self, card_id: str, ref_id: str) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM linkkit_action_sessions WHERE card_id = %s AND ref_id = %s", (card_id, ref_id))

    # -- click-time links -------------------------------------------------------------------------

    def add_click_links(self, records: Sequence[ClickLinkRecord]) -> None:
        from psycopg.errors import UniqueViolation
        from psycopg.types.json import Jsonb

        rows = [click_link_values(r, Jsonb) for r in records]
        with self._connection() as conn:
            try:
                with conn.transaction(), conn.cursor() as cursor:
                    cursor.executemany(_INSERT_CLICK, rows)
            except UniqueViolation:
                raise StoreError(DUPLICATE_LINK) from None

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
                "UPDATE linkkit_click_links SET revoked_at = COALESCE(revoked_at, %s) WHERE link_id = %s",
                (now, link_id),
            )
        return cursor.rowcount > 0

    # -- the button funnel ------------------------------------------------------------------------

    def record_beacon(self, card_id: str, event: str, at: float) -> None:
        check_beacon(card_id, event)
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO linkkit_button_events (card_id, event, at) VALUES (%s, %s, %s)", (card_id, event, at)
            )

    def funnel_counts(self, since: float, until: float) -> list[FunnelCount]:
        with self._connection() as conn:
            rows = conn.execute(_FUNNEL, {"since": since, "until": until}).fetchall()
        return funnel_rows(rows)
