"""Card instance states, Send Card State events, and update-notification entries (Samsung's card lifecycle APIs).

The partner side and the sandbox both import these enums, so the wire strings live in one place::

    from linkkit.cards.states import CardEvent, CardState

    CardState.MIGRATED == "MIGRATED"   # StrEnum members are the wire strings

Samsung lists the states and events in the tables of Get Card Data, Send Card State and Update
Notification: https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html.
"""

from __future__ import annotations

import enum
import re
from typing import Final

from linkkit.cards._hints import check_card_type
from linkkit.cards._kinds import REF_ID_MAX_INCOMING, RefId, Str, Url, join_path, type_name
from linkkit.errors import FieldError, ValidationError


class CardState(enum.StrEnum):
    """``data[].state`` of a card instance (Get Card Data and Update Notification)."""

    ACTIVE = "ACTIVE"
    UPDATED = "UPDATED"
    EXPIRED = "EXPIRED"
    REDEEMED = "REDEEMED"
    HELD = "HELD"
    DELETED = "DELETED"
    CANCELED = "CANCELED"
    PENDING = "PENDING"
    SUSPENDED = "SUSPENDED"
    #: The card moved to a new refId; the entry must carry ``oldRefId`` and ``atwLink``.
    MIGRATED = "MIGRATED"


class CardEvent(enum.StrEnum):
    """The ``event`` query parameter of Send Card State ("e.g., ADDED, UPDATED, DELETED, PROVISIONED")."""

    ADDED = "ADDED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"
    PROVISIONED = "PROVISIONED"


#: Members an Update Notification entry may carry.
UPDATE_ENTRY_KEYS: Final = ("refId", "state", "fields", "oldRefId", "atwLink")
#: Members a ``MIGRATED`` entry must carry: "a required field, especially when the state is MIGRATED".
MIGRATION_REQUIRES: Final = ("oldRefId", "atwLink")

_STATES: Final = frozenset(CardState)
_STATE_REASON: Final = "must be one of " + ", ".join(f'"{s}"' for s in CardState)
_REF_ID: Final = RefId(REF_ID_MAX_INCOMING)  # oldRefId String(128)
_ATW_LINK: Final = Url(4096)  # data[].atwLink String(4096)
_FIELDS_LEN: Final = Str(128)  # data[].fields String(128), "e.g. balance,barcode.value"
_FIELDS: Final = re.compile(r"[A-Za-z0-9_.{}]+(?:,[A-Za-z0-9_.{}]+)*")


def state_reason(value: object) -> str | None:
    """Why ``value`` is not a :class:`CardState` wire string, or ``None`` when it is."""
    if isinstance(value, str) and value in _STATES:
        return None
    return _STATE_REASON


def check_update_entry(entry: object, *, path: str = "card.data[0]") -> list[FieldError]:
    """Every broken rule of one Update Notification entry; never raises.

    The entry is ``{"refId", "state", "fields"?, "oldRefId"?, "atwLink"?}``:

    - ``state`` is a :class:`CardState`; ``MIGRATED`` requires ``oldRefId`` and ``atwLink``;
    - ``fields`` (String(128), comma-separated attribute names) is only meaningful with ``UPDATED``.

    :param path: the JSON path of ``entry``, used as the prefix of every error path.
    """
    errors: list[FieldError] = []
    if not isinstance(entry, dict):
        return [FieldError(path, f"must be an object (got {type_name(entry)})")]
    for key, value in entry.items():
        where = join_path(path, key)
        reason: str | None
        if key == "refId" or key == "oldRefId":
            reason = _REF_ID.check(value)
        elif key == "state":
            reason = state_reason(value)
        elif key == "atwLink":
            reason = _ATW_LINK.check(value)
        elif key == "fields":
            reason = _FIELDS_LEN.check(value)
            if reason is None and isinstance(value, str) and not _FIELDS.fullmatch(value):
                reason = 'must be attribute names separated by commas, e.g. "balance,barcode.value"'
            if reason is None and entry.get("state") != CardState.UPDATED:
                reason = 'is only used with state "UPDATED"'
        else:
            reason = "is not allowed (allowed: " + ", ".join(UPDATE_ENTRY_KEYS) + ")"
            if not isinstance(key, str):
                reason = f"member names must be strings (got {type_name(key)})"
        if reason is not None:
            errors.append(FieldError(where, reason))
    for key in ("refId", "state"):
        if key not in entry:
            errors.append(FieldError(f"{path}.{key}", "required"))
    if entry.get("state") == CardState.MIGRATED:
        for key in MIGRATION_REQUIRES:
            if key not in entry:
                errors.append(FieldError(f"{path}.{key}", 'required when state is "MIGRATED"'))
    return errors


def validate_update_entry(entry: object, *, path: str = "card.data[0]") -> None:
    """Raise :class:`~linkkit.errors.ValidationError` when :func:`check_update_entry` finds errors."""
    errors = check_update_entry(entry, path=path)
    if errors:
        raise ValidationError(errors)


def check_update_notification(body: object) -> list[FieldError]:
    """Every broken rule of an Update Notification body ``{"card": {"type", "data": [entry, ...]}}``.

    Never raises. ``card.type`` must be a known card type; each entry is checked with
    :func:`check_update_entry` (the four cases of Samsung's Update Notification examples:
    updated, deleted, one field updated, migrated).
    """
    if not isinstance(body, dict):
        return [FieldError("", f"must be an object with a card member (got {type_name(body)})")]
    errors: list[FieldError] = []
    for key in body:
        if key != "card":
            errors.append(FieldError(join_path("", key), "is not allowed (allowed: card)"))
    card = body.get("card")
    if "card" not in body:
        errors.append(FieldError("card", "required"))
        return errors
    if not isinstance(card, dict):
        errors.append(FieldError("card", f"must be an object (got {type_name(card)})"))
        return errors
    for key, value in card.items():
        if key == "type":
            reason = check_card_type(value)
            if reason is not None:
                errors.append(FieldError("card.type", reason))
        elif key == "data":
            if not isinstance(value, list) or not value:
                errors.append(FieldError("card.data", "must be a non-empty array"))
                continue
            for index, entry in enumerate(value):
                errors += check_update_entry(entry, path=f"card.data[{index}]")
        else:
            errors.append(FieldError(join_path("card", key), "is not allowed (allowed: type, data)"))
    for key in ("type", "data"):
        if key not in card:
            errors.append(FieldError(f"card.{key}", "required"))
    return errors
