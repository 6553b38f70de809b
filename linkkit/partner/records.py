"""What the partner side keeps: card events and states, Request Action sessions, click-time links.

Plain frozen records, shared by the :class:`~linkkit.partner.store.Store` protocol, its SQLite
implementation and any other database a merchant plugs in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CardEventRecord:
    """One Send Card State call Samsung made: ``POST /cards/{cardId}/{refId}?cc2=&event=``."""

    card_id: str
    ref_id: str
    #: ``ADDED``, ``UPDATED``, ``DELETED`` or ``PROVISIONED`` (:class:`linkkit.cards.CardEvent`).
    event: str
    #: The user's country, needed in the path of the public-domain Samsung server API.
    cc2: str
    #: The base URL Samsung asked to be called back on for this card (overrides the default).
    callback: str | None
    request_id: str
    #: Epoch seconds.
    received_at: float


@dataclass(frozen=True, slots=True)
class CardStatus:
    """The latest known state of one card instance in a user's wallet."""

    card_id: str
    ref_id: str
    event: str
    cc2: str
    callback: str | None
    updated_at: float


@dataclass(frozen=True, slots=True)
class ActionSession:
    """Where one Request Action sequence stands: the step Samsung must send next."""

    card_id: str
    ref_id: str
    #: The ``actionType`` the partner asked for (``USER_AUTH``).
    expected: str
    #: The inputs the partner asked the wallet to collect.
    fields: tuple[str, ...]
    expires_at: float


@dataclass(frozen=True, slots=True)
class ClickLinkRecord:
    """One click-time link: which card it mints a link for, and its limits."""

    link_id: str
    card_id: str
    ref_id: str
    created_at: float
    #: Epoch seconds after which the link answers 410; ``None`` never expires.
    expires_at: float | None
    #: Opens allowed; ``None`` is unlimited.
    max_uses: int | None
    uses: int = 0
    revoked_at: float | None = None
    #: Where the link was sent (``email``, ``sms``, ``qr``, ``print``), for reports.
    channel: str | None = None
    tags: tuple[str, ...] = ()


class ClickOutcome(enum.StrEnum):
    """What happened when a click-time link was opened."""

    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class FunnelCount:
    """How many times one funnel step happened for one card id on one UTC day.

    ``event`` is a button beacon (``impression``, ``click``, ``mint``, ``mint-error``) or a card state
    Samsung sent (``add`` for Send Card State ``ADDED``, ``remove`` for ``DELETED``).
    """

    day: str  # YYYY-MM-DD, UTC
    card_id: str
    event: str
    count: int
