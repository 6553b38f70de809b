"""The partner's log of Save to Pay notifications on PostgreSQL (table ``linkkit_s2p_notifications``).

The same contract as the SQLite :class:`~linkkit.partner.stores.sqlite_s2p.NotificationStore`
(:class:`~linkkit.partner.stores.contract.NotificationLog`): one row per ``Request-Id``, a retried
delivery is refused by the primary key (``INSERT ... ON CONFLICT DO NOTHING``), whichever machine
it reaches; the arrival order is an identity column.
"""

from __future__ import annotations

from typing import Any, Final

from linkkit.partner.stores.contract import StoredNotification
from linkkit.partner.stores.pg_database import DEFAULT_CONNECT_TIMEOUT, PostgreSQLDatabase
from linkkit.s2p.models import Notification

_ADD: Final = (
    "INSERT INTO linkkit_s2p_notifications (request_id, reg_id, type, error, body, received_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (request_id) DO NOTHING"
)
_SELECT: Final = "SELECT request_id, received_at, body FROM linkkit_s2p_notifications WHERE reg_id = %s ORDER BY seq"


def _stored(row: tuple[Any, ...]) -> StoredNotification:
    return StoredNotification(row[0], row[1], Notification.from_body(row[2]))


class PostgreSQLNotificationStore:
    """Notifications by registration, in arrival order, in PostgreSQL.

    :param database: a ``postgresql://`` URL (or libpq string), or the
        :class:`~linkkit.partner.stores.pg_database.PostgreSQLDatabase` of a
        :class:`~linkkit.partner.stores.postgresql.PostgreSQLStore` to share its pool.
    :param migrate: apply missing schema migrations when opened from a URL.
    """

    def __init__(
        self,
        database: str | PostgreSQLDatabase,
        *,
        migrate: bool = True,
        max_size: int = 4,
        timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        self._owned = not isinstance(database, PostgreSQLDatabase)
        self.database = (
            database
            if isinstance(database, PostgreSQLDatabase)
            else PostgreSQLDatabase(database, migrate=migrate, max_size=max_size, timeout=timeout)
        )
        self._connection = self.database.connection

    def __repr__(self) -> str:
        return f"PostgreSQLNotificationStore({self.database.where!r})"

    def close(self) -> None:
        """Close the pool when this store opened it (a shared one belongs to its store)."""
        if self._owned:
            self.database.close()

    def add(self, request_id: str, notification: Notification, now: float) -> bool:
        """Keep ``notification``; False (and nothing stored) when ``request_id`` was stored before."""
        from psycopg.types.json import Jsonb

        body = Jsonb(notification.to_body())
        with self._connection() as conn:
            cursor = conn.execute(
                _ADD, (request_id, notification.reg_id, notification.type, notification.error, body, now)
            )
        return cursor.rowcount == 1

    def for_registration(self, reg_id: str) -> list[StoredNotification]:
        """Every notification of ``reg_id``, oldest first."""
        with self._connection() as conn:
            rows = conn.execute(_SELECT, (reg_id,)).fetchall()
        return [_stored(row) for row in rows]

    def latest(self, reg_id: str) -> StoredNotification | None:
        """The last notification of ``reg_id``, or None."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT request_id, received_at, body FROM linkkit_s2p_notifications WHERE reg_id = %s "
                "ORDER BY seq DESC LIMIT 1",
                (reg_id,),
            ).fetchone()
        return None if row is None else _stored(row)

    def count(self) -> int:
        with self._connection() as conn:
            row = conn.execute("SELECT count(*) FROM linkkit_s2p_notifications").fetchone()
        return int(row[0]) if row else 0
