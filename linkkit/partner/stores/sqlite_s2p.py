"""The partner's log of Save to Pay notifications, in SQLite (table ``s2p_notifications``).

The PostgreSQL twin is :class:`~linkkit.partner.stores.pg_s2p.PostgreSQLNotificationStore`; both
implement :class:`~linkkit.partner.stores.contract.NotificationLog`.

Samsung's Save to Pay best practices ask partners to "log and monitor all inbound/outbound requests": every
notification S2P sends is kept, keyed by its ``Request-Id`` so that a retried delivery is stored
once. The body is stored as the normalized JSON of :class:`~linkkit.s2p.Notification` (only the
members Samsung documents), with the registration id, type and error as columns to query.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import Final

from linkkit.errors import StoreError
from linkkit.partner.stores.contract import StoredNotification
from linkkit.s2p.models import Notification

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS s2p_notifications (
    request_id TEXT PRIMARY KEY,
    reg_id TEXT NOT NULL,
    type TEXT NOT NULL,
    error TEXT,
    body TEXT NOT NULL,
    received_at REAL NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS s2p_notifications_reg_id ON s2p_notifications (reg_id, seq);
"""


class NotificationStore:
    """Notifications by registration, in arrival order, in one SQLite file.

    :param path: a database file, or ``":memory:"`` for tests.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        try:
            self._db = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"S2P notification store {path}: cannot open ({exc})") from exc
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def add(self, request_id: str, notification: Notification, now: float) -> bool:
        """Keep ``notification``; False (and nothing stored) when ``request_id`` was stored before."""
        body = json.dumps(notification.to_body(), separators=(",", ":"), sort_keys=True)
        with self._lock:
            try:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO s2p_notifications (request_id, reg_id, type, error, body, received_at, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM s2p_notifications))",
                    (request_id, notification.reg_id, notification.type, notification.error, body, now),
                )
            except sqlite3.Error as exc:
                raise StoreError(f"S2P notification store: cannot add ({type(exc).__name__})") from exc
            return cur.rowcount == 1

    def for_registration(self, reg_id: str) -> list[StoredNotification]:
        """Every notification of ``reg_id``, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT request_id, received_at, body FROM s2p_notifications WHERE reg_id = ? ORDER BY seq",
                (reg_id,),
            ).fetchall()
        return [StoredNotification(r[0], r[1], Notification.from_body(json.loads(r[2]))) for r in rows]

    def latest(self, reg_id: str) -> StoredNotification | None:
        """The last notification of ``reg_id``, or None."""
        found = self.for_registration(reg_id)
        return found[-1] if found else None

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM s2p_notifications").fetchone()[0])


#: The same class under the name that says its engine.
SQLiteNotificationStore = NotificationStore
