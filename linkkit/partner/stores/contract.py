"""What every partner store promises, whatever the database: the :class:`Store` and
:class:`NotificationLog` protocols, and the rules both engines share.

Each rule that decides (is this a replay? is this link still live? is this event new?) is one SQL
statement that the database evaluates atomically: a unique key, ``INSERT ... ON CONFLICT``, an
``UPDATE ... WHERE <condition> RETURNING``. Python never reads a row to decide what to write, so two
workers on two machines cannot both win. What Python does here is explain a refusal after the fact
(:func:`click_refusal`), which decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol, runtime_checkable

from linkkit.partner.records import (
    ActionSession,
    CardEventRecord,
    CardStatus,
    ClickLinkRecord,
    ClickOutcome,
    FunnelCount,
)
from linkkit.s2p.models import Notification

#: Remember request ids and token signatures this long: an AUTH token is accepted ±60 s around its
#: ``utc``, so a copy can arrive up to 120 s after the original; 150 s leaves slack, as
#: :class:`linkkit.atw.replay.ReplayGuard` does.
DEFAULT_REPLAY_WINDOW: Final = 150.0

#: Each process deletes expired replay records (and expired Request Action sessions) once every this
#: many accepted requests: often enough to keep the table at about one window of traffic, rarely
#: enough that the delete costs nothing per request.
PRUNE_EVERY: Final = 1000

#: The message of every replay refusal (the same for both engines, so logs read the same).
REPLAYED: Final = "this request was already received (replayed x-request-id or token)"
#: The message when a click-time link id is inserted twice.
DUPLICATE_LINK: Final = "a click-time link with this id already exists"


@runtime_checkable
class Store(Protocol):
    """What the partner endpoints need from a database. Every method is safe to call from any thread,
    and from any number of processes sharing the database.

    A store may also have ``ping()``, raising when the database does not answer: ``/readyz`` calls it
    (both engines have it; a store without it reads ``unchecked`` there).
    """

    def check_and_remember(self, request_id: str, *, signature: bytes | None = None, token: str | None = None) -> None:
        """Record ``request_id`` and the token's decoded ``signature`` (or that of ``token``, decoded
        strictly); raise :class:`~linkkit.errors.ReplayError` if either was seen within the window (the
        same contract as :class:`linkkit.atw.replay.ReplayGuard`, keys from :func:`linkkit.atw.replay.replay_keys`)."""

    def remember_once(self, key: str, *, until: float) -> None:
        """Record ``key`` until the epoch time ``until``; raise :class:`~linkkit.errors.ReplayError` if it
        is recorded already (a signedAtwLink is spent once: :func:`linkkit.atw.replay.signed_link_key`)."""

    def record_event(self, record: CardEventRecord) -> bool:
        """Store a Send Card State call; ``False`` when it repeats the card's latest event (not stored)."""

    def card_status(self, card_id: str, ref_id: str) -> CardStatus | None:
        """The latest event, country and callback of one card, or ``None``."""

    def events(
        self, card_id: str | None = None, ref_id: str | None = None, *, limit: int = 100
    ) -> list[CardEventRecord]:
        """Stored events, newest first, optionally for one card."""

    def save_action_session(self, session: ActionSession) -> None:
        """Create or replace the Request Action session of ``(card_id, ref_id)``."""

    def load_action_session(self, card_id: str, ref_id: str) -> ActionSession | None:
        """The session of ``(card_id, ref_id)``, or ``None`` (expired sessions are ``None``)."""

    def delete_action_session(self, card_id: str, ref_id: str) -> None:
        """Forget a finished sequence."""

    def add_click_links(self, records: Sequence[ClickLinkRecord]) -> None:
        """Insert new click-time links in one transaction (all or none)."""

    def use_click_link(self, link_id: str, now: float) -> tuple[ClickOutcome, ClickLinkRecord | None]:
        """Atomically count one use when the link is live; say why not otherwise."""

    def get_click_link(self, link_id: str) -> ClickLinkRecord | None:
        """One click-time link, or ``None``."""

    def revoke_click_link(self, link_id: str, now: float) -> bool:
        """Revoke a link; ``False`` when there is no such link."""


#: The button beacons a store records (what ``<samsung-wallet-button>`` sends).
BEACON_EVENTS: Final = ("impression", "click", "mint", "mint-error")
#: Send Card State events the funnel counts, and the name each has there.
FUNNEL_CARD_EVENTS: Final = {"ADDED": "add", "DELETED": "remove"}


@runtime_checkable
class FunnelLog(Protocol):
    """The button funnel: beacons the browser sent, counted with the card states Samsung sent.

    Both engines' stores are one (``SQLiteStore``, ``PostgreSQLStore``): the counts join the
    ``card_events`` they already keep, so adds and removes need no second record.
    """

    def record_beacon(self, card_id: str, event: str, at: float) -> None:
        """Count one :data:`BEACON_EVENTS` event for ``card_id`` at epoch seconds ``at``."""

    def funnel_counts(self, since: float, until: float) -> list[FunnelCount]:
        """Counts per UTC day, card id and event for ``since <= at < until``, ordered by day, card
        and event; card states appear as ``add``/``remove`` (:data:`FUNNEL_CARD_EVENTS`)."""


def check_beacon(card_id: str, event: str) -> None:
    """Refuse a beacon no store should keep (both engines call it before writing).

    :raises ValueError: naming the field.
    """
    if event not in BEACON_EVENTS:
        raise ValueError("event: one of " + ", ".join(BEACON_EVENTS))
    if not isinstance(card_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{0,32}", card_id):
        raise ValueError("card_id: at most 32 letters, digits, '-' or '_'")


def funnel_rows(rows: Sequence[Sequence[Any]]) -> list[FunnelCount]:
    """:class:`FunnelCount` records from ``(day, card_id, event, count)`` rows, card states renamed."""
    found = [
        FunnelCount(str(day), str(card), FUNNEL_CARD_EVENTS.get(str(event), str(event)), int(n))
        for day, card, event, n in rows
    ]
    return sorted(found, key=lambda c: (c.day, c.card_id, c.event))


@dataclass(frozen=True, slots=True)
class StoredNotification:
    """One Save to Pay notification as received."""

    request_id: str
    received_at: float
    notification: Notification


@runtime_checkable
class NotificationLog(Protocol):
    """Where the Save to Pay notification endpoint keeps every notification, once per ``Request-Id``."""

    def add(self, request_id: str, notification: Notification, now: float) -> bool:
        """Keep ``notification``; ``False`` (and nothing stored) when ``request_id`` was stored before."""

    def for_registration(self, reg_id: str) -> list[StoredNotification]:
        """Every notification of ``reg_id``, oldest first."""

    def latest(self, reg_id: str) -> StoredNotification | None:
        """The last notification of ``reg_id``, or ``None``."""

    def count(self) -> int:
        """How many notifications are stored."""


def click_refusal(record: ClickLinkRecord | None, now: float) -> ClickOutcome:
    """Why a link the atomic use statement did not count was refused (read after the refusal; the
    order is the one users see: unknown, revoked, expired, used up)."""
    if record is None:
        return ClickOutcome.UNKNOWN
    if record.revoked_at is not None:
        return ClickOutcome.REVOKED
    if record.expires_at is not None and record.expires_at <= now:
        return ClickOutcome.EXPIRED
    return ClickOutcome.EXHAUSTED


def is_live(record: ClickLinkRecord, now: float) -> bool:
    """Whether a link may be used at ``now``: the rule of :func:`live_link_condition`, read from a row
    (checks that spend nothing, such as ``HEAD``, use this; spending uses the SQL condition)."""
    return (
        record.revoked_at is None
        and (record.expires_at is None or record.expires_at > now)
        and (record.max_uses is None or record.uses < record.max_uses)
    )


#: The columns of a click-time link, in :class:`ClickLinkRecord` order (both engines select these).
CLICK_COLUMNS: Final = "link_id, card_id, ref_id, created_at, expires_at, max_uses, uses, revoked_at, channel, tags"


def click_link_values(record: ClickLinkRecord, tags: Callable[[list[str]], object]) -> tuple[object, ...]:
    """A link's values in :data:`CLICK_COLUMNS` order, its tags encoded by the engine (``tags``)."""
    r = record
    return (
        r.link_id,
        r.card_id,
        r.ref_id,
        r.created_at,
        r.expires_at,
        r.max_uses,
        r.uses,
        r.revoked_at,
        r.channel,
        tags(list(r.tags)),
    )


def click_link_record(row: Sequence[Any], tags: Callable[[Any], Sequence[str]]) -> ClickLinkRecord:
    """A link from a row of :data:`CLICK_COLUMNS`, its tags decoded by the engine (``tags``)."""
    link_id, card_id, ref_id, created_at, expires_at, max_uses, uses, revoked_at, channel, raw_tags = row
    return ClickLinkRecord(
        link_id, card_id, ref_id, created_at, expires_at, max_uses, uses, revoked_at, channel, tuple(tags(raw_tags))
    )


def remember_params(keys: Sequence[str], now: float, horizon: float) -> tuple[object, ...]:
    """The parameters of both engines' replay statement: ``(key, now)`` for each key, then the
    horizon before which a key has aged out and may be taken over."""
    if len(keys) == 2:
        return (keys[0], now, keys[1], now, horizon)
    return (keys[0], now, horizon)


def live_link_condition(now: str) -> str:
    """The SQL condition under which a click-time link may be used at ``now`` (a placeholder): not
    revoked, not expired, uses left. Both engines spend a use with ``UPDATE ... WHERE`` this."""
    return (
        f"revoked_at IS NULL AND (expires_at IS NULL OR expires_at > {now}) AND (max_uses IS NULL OR uses < max_uses)"
    )
