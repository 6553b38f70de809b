"""The merchant's own database (SQLite): the cards it issued and the payment cards it offers.

This is the part every merchant already has in some form. linkkit's partner store (events,
Request Action sessions, click-time links) and the S2P ledger live in their own files beside it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

_SELECT: Final = (
    "SELECT id, ref_id, kind, holder, attrs, state, replaced_by, created_at, updated_at, visitor FROM issued_cards"
)
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS issued_cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    holder TEXT NOT NULL,
    attrs TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'ACTIVE',
    replaced_by TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    visitor TEXT
);
CREATE TABLE IF NOT EXISTS pay_cards (
    card_ref TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    last4 TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_attempts (
    subject TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True, slots=True)
class IssuedCard:
    """One card instance the merchant issued (one Wallet ``refId``)."""

    id: int
    ref_id: str
    kind: str
    holder: str
    #: What changes over the card's life: points, balance, gate ...
    attrs: Mapping[str, Any]
    #: The merchant's view of the card (ACTIVE, UPDATED, CANCELED, REDEEMED, MIGRATED ...).
    state: str
    replaced_by: str | None
    created_at: float
    updated_at: float
    #: The browser session the card was made for (the demo's stand-in for a customer account);
    #: None for cards made without a page visit (a sign-up in the wallet, a card sent to an account).
    visitor: str | None = None

    @property
    def number(self) -> str:
        """The card number printed on the card and shown to staff (never the refId)."""
        return f"NW-{self.id:06d}"


@dataclass(frozen=True, slots=True)
class PayCard:
    """A payment card the merchant (as a card issuer) can push with Save to Pay."""

    card_ref: str
    holder: str
    last4: str
    created_at: float


def card_id_from_number(number: str) -> int | None:
    """``NW-000042`` → 42; None for anything else."""
    if len(number) == 9 and number.startswith("NW-") and number[3:].isdigit():
        return int(number[3:])
    return None


class MerchantDB:
    """Thread-safe access to the merchant tables (one connection behind a lock; small demo load)."""

    def __init__(self, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time) -> None:
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(issued_cards)")}
        if "visitor" not in columns:  # an instance folder made before the column existed
            self._db.execute("ALTER TABLE issued_cards ADD COLUMN visitor TEXT")
        self._lock = threading.Lock()
        self._clock = clock

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @staticmethod
    def _card(row: tuple[Any, ...] | None) -> IssuedCard | None:
        if row is None:
            return None
        return IssuedCard(
            id=row[0],
            ref_id=row[1],
            kind=row[2],
            holder=row[3],
            attrs=json.loads(row[4]),
            state=row[5],
            replaced_by=row[6],
            created_at=row[7],
            updated_at=row[8],
            visitor=row[9],
        )

    def issue(
        self, *, ref_id: str, kind: str, holder: str, attrs: Mapping[str, Any], visitor: str | None = None
    ) -> IssuedCard:
        now = self._clock()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO issued_cards (ref_id, kind, holder, attrs, created_at, updated_at, visitor)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ref_id, kind, holder, json.dumps(dict(attrs)), now, now, visitor),
            )
            row = self._db.execute(_SELECT + " WHERE id = ?", (cur.lastrowid,)).fetchone()
        card = self._card(row)
        assert card is not None
        return card

    def by_ref_id(self, ref_id: str) -> IssuedCard | None:
        with self._lock:
            row = self._db.execute(_SELECT + " WHERE ref_id = ?", (ref_id,)).fetchone()
        return self._card(row)

    def by_number(self, number: str) -> IssuedCard | None:
        card_id = card_id_from_number(number)
        if card_id is None:
            return None
        with self._lock:
            row = self._db.execute(_SELECT + " WHERE id = ?", (card_id,)).fetchone()
        return self._card(row)

    def cards(self, limit: int = 50) -> list[IssuedCard]:
        """The newest cards first."""
        with self._lock:
            rows = self._db.execute(_SELECT + " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [c for c in (self._card(r) for r in rows) if c is not None]

    def update(
        self,
        ref_id: str,
        *,
        attrs: Mapping[str, Any] | None = None,
        state: str | None = None,
        replaced_by: str | None = None,
    ) -> IssuedCard:
        """Change a card's attributes (merged) or state; returns the card as stored."""
        with self._lock:
            row = self._db.execute("SELECT attrs FROM issued_cards WHERE ref_id = ?", (ref_id,)).fetchone()
            if row is None:
                raise KeyError("no such card")
            merged = {**json.loads(row[0]), **(attrs or {})}
            self._db.execute(
                "UPDATE issued_cards SET attrs = ?, state = COALESCE(?, state), replaced_by = COALESCE(?, replaced_by),"
                " updated_at = ? WHERE ref_id = ?",
                (json.dumps(merged), state, replaced_by, self._clock(), ref_id),
            )
        card = self.by_ref_id(ref_id)
        assert card is not None
        return card

    # -- failed one-time codes (sign-up) ----------------------------------------------------------

    def locked_until(self, subjects: tuple[str, ...]) -> float | None:
        """When the latest lock on any of ``subjects`` ends, or None when none is locked now."""
        now = self._clock()
        marks = ",".join("?" * len(subjects))
        with self._lock:
            row = self._db.execute(
                f"SELECT MAX(locked_until) FROM failed_attempts WHERE subject IN ({marks})",  # noqa: S608 - only ?s
                subjects,
            ).fetchone()
        return row[0] if row and row[0] is not None and row[0] > now else None

    def record_failure(self, subjects: tuple[str, ...], *, limit: int, lock_seconds: float) -> tuple[int, float | None]:
        """Count one failure against each subject; lock a subject for ``lock_seconds`` at ``limit`` failures.

        Returns the highest failure count among the subjects and the end of a lock that this failure
        started or that holds, if any. A subject whose lock has run out starts again from zero.
        """
        now = self._clock()
        worst, lock = 0, None
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for subject in subjects:
                    row = self._db.execute(
                        "SELECT failures, locked_until FROM failed_attempts WHERE subject = ?", (subject,)
                    ).fetchone()
                    failures = 0 if row is None or 0 < row[1] <= now else row[0]
                    failures += 1
                    until = now + lock_seconds if failures >= limit else 0.0
                    self._db.execute(
                        "INSERT INTO failed_attempts (subject, failures, locked_until) VALUES (?, ?, ?)"
                        " ON CONFLICT(subject) DO UPDATE SET failures = excluded.failures,"
                        " locked_until = excluded.locked_until",
                        (subject, failures, until),
                    )
                    worst = max(worst, failures)
                    if until:
                        lock = max(lock or 0.0, until)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return worst, lock

    def clear_failures(self, subjects: tuple[str, ...]) -> None:
        marks = ",".join("?" * len(subjects))
        with self._lock:
            self._db.execute(f"DELETE FROM failed_attempts WHERE subject IN ({marks})", subjects)  # noqa: S608

    # -- payment cards (Save to Pay) ------------------------------------------------------------

    def add_pay_card(self, card_ref: str, *, holder: str, last4: str) -> PayCard:
        card = PayCard(card_ref=card_ref, holder=holder, last4=last4, created_at=self._clock())
        with self._lock:
            self._db.execute(
                "INSERT INTO pay_cards (card_ref, holder, last4, created_at) VALUES (?, ?, ?, ?)",
                (card.card_ref, card.holder, card.last4, card.created_at),
            )
        return card

    def pay_card(self, card_ref: str) -> PayCard | None:
        with self._lock:
            row = self._db.execute(
                "SELECT card_ref, holder, last4, created_at FROM pay_cards WHERE card_ref = ?", (card_ref,)
            ).fetchone()
        return PayCard(*row) if row else None

    def pay_cards(self, limit: int = 50) -> list[PayCard]:
        with self._lock:
            rows = self._db.execute(
                "SELECT card_ref, holder, last4, created_at FROM pay_cards ORDER BY created_at DESC LIMIT ?", (limit,)
            ).fetchall()
        return [PayCard(*row) for row in rows]
