"""The PostgreSQL schema of the partner stores, and its versioned migrations.

Every table is prefixed ``linkkit_`` so that linkkit can share a database (and its ``public``
schema) with the merchant's own application, Django's tables included. ``linkkit_schema`` holds one
row per applied migration. :func:`upgrade` applies the missing ones in one transaction under an
advisory lock, so that ten workers starting at once apply each migration exactly once, and a
failed migration leaves the schema as it was (PostgreSQL's DDL is transactional).

Times are epoch seconds in ``double precision``, as the records carry them; the clock is the
application's (keep the machines on NTP: AUTH tokens need that anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from linkkit.errors import StoreError

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its number, what it does, and its statements (run in order)."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "card events and states, Request Action sessions, click-time links, replay records, S2P notifications",
        (
            """CREATE TABLE linkkit_card_events (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, card_id text NOT NULL, ref_id text NOT NULL,
                event text NOT NULL, cc2 text NOT NULL, callback text, request_id text NOT NULL,
                received_at double precision NOT NULL)""",
            "CREATE INDEX linkkit_card_events_card ON linkkit_card_events (card_id, ref_id, id)",
            """CREATE TABLE linkkit_cards (
                card_id text NOT NULL, ref_id text NOT NULL, event text NOT NULL, cc2 text NOT NULL, callback text,
                updated_at double precision NOT NULL, PRIMARY KEY (card_id, ref_id))""",
            """CREATE TABLE linkkit_action_sessions (
                card_id text NOT NULL, ref_id text NOT NULL, expected text NOT NULL, fields jsonb NOT NULL,
                expires_at double precision NOT NULL, PRIMARY KEY (card_id, ref_id))""",
            """CREATE TABLE linkkit_click_links (
                link_id text PRIMARY KEY, card_id text NOT NULL, ref_id text NOT NULL,
                created_at double precision NOT NULL, expires_at double precision,
                max_uses integer CHECK (max_uses > 0), uses integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
                revoked_at double precision, channel text, tags jsonb NOT NULL DEFAULT '[]')""",
            # UNLOGGED: no WAL, so no fsync per request; PostgreSQL empties the table after a crash of
            # the database server (not of a worker) and does not copy it to standbys. Replay records
            # live 150 s, and losing them then is the same trade the SQLite store makes (docs/deploy.md).
            "CREATE UNLOGGED TABLE linkkit_replay (key text PRIMARY KEY, seen_at double precision NOT NULL)",
            "CREATE INDEX linkkit_replay_seen_at ON linkkit_replay (seen_at)",
            """CREATE TABLE linkkit_s2p_notifications (
                request_id text PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE, reg_id text NOT NULL,
                type text NOT NULL, error text, body jsonb NOT NULL, received_at double precision NOT NULL)""",
            "CREATE INDEX linkkit_s2p_notifications_reg ON linkkit_s2p_notifications (reg_id, seq)",
        ),
    ),
    Migration(
        2,
        "button funnel beacons (impressions, clicks, mints), and card events by time for the funnel report",
        (
            """CREATE TABLE linkkit_button_events (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, card_id text NOT NULL, event text NOT NULL,
                at double precision NOT NULL)""",
            "CREATE INDEX linkkit_button_events_at ON linkkit_button_events (at)",
            "CREATE INDEX linkkit_card_events_received ON linkkit_card_events (received_at)",
        ),
    ),
)
#: The schema version this code reads and writes.
SCHEMA_VERSION: Final = len(MIGRATIONS)
#: Every linkkit table, for tools that empty or drop them (tests, ``linkkit db``).
TABLES: Final = (
    "linkkit_card_events",
    "linkkit_cards",
    "linkkit_action_sessions",
    "linkkit_click_links",
    "linkkit_replay",
    "linkkit_s2p_notifications",
    "linkkit_button_events",
)
# pg_advisory_xact_lock key: "lkkt" as an integer; only linkkit's migrations take it.
_LOCK_KEY: Final = 0x6C6B6B74
_VERSION_TABLE: Final = """CREATE TABLE IF NOT EXISTS linkkit_schema (
    version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"""


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The schema version of the database ``conn`` is connected to (0: linkkit never ran there)."""
    exists = conn.execute("SELECT to_regclass('linkkit_schema') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM linkkit_schema").fetchone()
    return int(row[0]) if row else 0


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database's linkkit schema is version {version}, newer than this code's {SCHEMA_VERSION}: "
            "upgrade linkkit before serving from it"
        )


def upgrade(conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """Apply every missing migration; returns ``(version before, version after)``.

    :raises StoreError: the database is newer than this code.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(_VERSION_TABLE)
        before = current_version(conn)
        _refuse_newer(before)
        for migration in MIGRATIONS[before:]:
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO linkkit_schema (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
    return before, SCHEMA_VERSION


def require_current(conn: psycopg.Connection[Any]) -> None:
    """Refuse a database whose schema is not this code's (for stores opened with ``migrate=False``)."""
    version = current_version(conn)
    _refuse_newer(version)
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"the database's linkkit schema is version {version}, this code needs {SCHEMA_VERSION}: "
            "run `linkkit db upgrade` (or open the store with migrate=True)"
        )
