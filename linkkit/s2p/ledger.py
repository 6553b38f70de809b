"""The partner's record of Save to Pay registrations, one per card, in SQLite.

Samsung's Save to Pay API says of ``POST /registrations``: "Partner server should make sure that this is
called only once for one card" (https://developer.samsung.com/pay/save2pay/api-introduction.html).
The ledger makes that a property of the code rather than a promise: a registration is *claimed*
for a card reference before ``POST /registrations`` leaves, and the row keeps the outcome.

=============  ====================================================================================
state          meaning
=============  ====================================================================================
``pending``    a registration for this card is being sent right now (another thread, or a crash)
``registered`` Samsung answered: ``reg_id``, ``status`` and the last ``welcome_url`` are known
``unknown``    the request may have reached Samsung but no answer came: a second registration
               could make a duplicate, so the card is refused until someone checks and calls
               :meth:`RegistrationLedger.forget`
=============  ====================================================================================

The card reference is the partner's own identifier of the card (an account or card id): never a
PAN. The request body is kept only as a SHA-256 digest, to tell "the same registration again"
from "a different registration for the same card".
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from linkkit.errors import StoreError

LedgerState = Literal["pending", "registered", "unknown"]
CARD_REF_MAX: Final = 256

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS s2p_registrations (
    card_ref TEXT PRIMARY KEY,
    body_sha256 TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'registered', 'unknown')),
    reg_id TEXT UNIQUE,
    status TEXT,
    welcome_url TEXT,
    welcome_url_at REAL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
)
"""
_SELECT: Final = (
    "SELECT card_ref, body_sha256, state, reg_id, status, welcome_url, welcome_url_at, created_at, updated_at "
    "FROM s2p_registrations WHERE "
)
_BY_CARD: Final = _SELECT + "card_ref = ?"
_BY_REG_ID: Final = _SELECT + "reg_id = ?"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One card's row."""

    card_ref: str
    body_sha256: str
    state: LedgerState
    reg_id: str | None
    status: str | None
    welcome_url: str | None
    #: When ``welcome_url`` was received (epoch seconds): it expires (24 h by default at Samsung).
    welcome_url_at: float | None
    created_at: float
    updated_at: float


def check_card_ref(card_ref: object) -> str:
    """A card reference is a non-empty str of at most 256 characters (TypeError / ValueError otherwise)."""
    if not isinstance(card_ref, str):
        raise TypeError(f"card_ref must be a str (got {type(card_ref).__name__})")
    if not 1 <= len(card_ref) <= CARD_REF_MAX:
        raise ValueError(f"card_ref must be 1 to {CARD_REF_MAX} characters")
    return card_ref


class RegistrationLedger:
    """SQLite table ``s2p_registrations``; safe to share between threads of one process, and between
    processes on one database file (every change is one transaction).

    :param path: a database file, or ``":memory:"`` (tests only: the record dies with the process,
        and with it the "once per card" guarantee).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        target = str(path) if str(path) == ":memory:" else str(Path(path))
        try:
            self._db = sqlite3.connect(target, timeout=10.0, isolation_level=None, check_same_thread=False)
            self._db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"S2P ledger {target}: cannot open ({exc})") from exc
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def _row(self, sql: str, args: tuple[object, ...]) -> LedgerEntry | None:
        row = self._db.execute(sql, args).fetchone()
        return LedgerEntry(*row) if row else None

    def get(self, card_ref: str) -> LedgerEntry | None:
        """The row of ``card_ref``, or None."""
        with self._lock:
            return self._row(_BY_CARD, (check_card_ref(card_ref),))

    def find_by_reg_id(self, reg_id: str) -> LedgerEntry | None:
        """The row holding registration ``reg_id`` (to map a notification back to a card)."""
        with self._lock:
            return self._row(_BY_REG_ID, (reg_id,))

    def claim(self, card_ref: str, body_sha256: str, now: float) -> LedgerEntry | None:
        """Claim ``card_ref`` for a new registration: None when claimed now (the caller must then call
        :meth:`record`, :meth:`release` or :meth:`mark_unknown`), else the existing row, unchanged."""
        check_card_ref(card_ref)
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                existing = self._row(_BY_CARD, (card_ref,))
                if existing is None:
                    self._db.execute(
                        "INSERT INTO s2p_registrations (card_ref, body_sha256, state, created_at, updated_at) "
                        "VALUES (?, ?, 'pending', ?, ?)",
                        (card_ref, body_sha256, now, now),
                    )
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise StoreError(f"S2P ledger: cannot claim a card ({type(exc).__name__})") from exc
            return existing

    def record(self, card_ref: str, *, reg_id: str, status: str, welcome_url: str, now: float) -> None:
        """Store Samsung's answer for ``card_ref`` (state ``registered``)."""
        self._update(
            "UPDATE s2p_registrations SET state = 'registered', reg_id = ?, status = ?, welcome_url = ?, "
            "welcome_url_at = ?, updated_at = ? WHERE card_ref = ?",
            (reg_id, status, welcome_url, now, now, card_ref),
        )

    def refresh(self, reg_id: str, *, status: str, welcome_url: str, now: float) -> None:
        """Store a newer status and welcome URL of a registered card (after ``GET /registrations/{regId}``)."""
        self._update(
            "UPDATE s2p_registrations SET status = ?, welcome_url = ?, welcome_url_at = ?, updated_at = ? "
            "WHERE reg_id = ? AND state = 'registered'",
            (status, welcome_url, now, now, reg_id),
            must_change=False,
        )

    def release(self, card_ref: str) -> None:
        """Drop a ``pending`` claim whose request certainly did not register anything."""
        self._update("DELETE FROM s2p_registrations WHERE card_ref = ? AND state = 'pending'", (card_ref,))

    def mark_unknown(self, card_ref: str, now: float) -> None:
        """A ``pending`` claim whose request may have registered: refuse the card until :meth:`forget`."""
        self._update(
            "UPDATE s2p_registrations SET state = 'unknown', updated_at = ? WHERE card_ref = ? AND state = 'pending'",
            (now, card_ref),
        )

    def forget(self, card_ref: str) -> bool:
        """Delete the row of ``card_ref`` whatever its state (an operator's decision); True if there was one."""
        with self._lock:
            try:
                cur = self._db.execute("DELETE FROM s2p_registrations WHERE card_ref = ?", (check_card_ref(card_ref),))
            except sqlite3.Error as exc:
                raise StoreError(f"S2P ledger: cannot forget a card ({type(exc).__name__})") from exc
            return cur.rowcount > 0

    def _update(self, sql: str, args: tuple[object, ...], *, must_change: bool = True) -> None:
        with self._lock:
            try:
                cur = self._db.execute(sql, args)
            except sqlite3.Error as exc:
                raise StoreError(f"S2P ledger: update failed ({type(exc).__name__})") from exc
        if must_change and cur.rowcount != 1:
            raise StoreError("S2P ledger: the card's row is not in the expected state")

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error:  # pragma: no cover - nothing to roll back
            pass
