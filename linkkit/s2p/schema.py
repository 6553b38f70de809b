"""The bodies of the Save to Pay API as field tables, and the validators they drive.

Each table lists the fields of https://developer.samsung.com/pay/save2pay/api-introduction.html by JSON
path, with their Save to Pay data type and whether Samsung marks them Required; the same table
documents the fields (``docs/save-to-pay.md``) and checks them.
"Required" inside an optional object (``user.id``) means required when that object is present.

Two reading modes:

* **strict** for what a partner sends Samsung (registrations): unknown members are refused with a
  "did you mean", because a misspelt ``cardname`` would otherwise silently vanish;
* **tolerant** for what Samsung sends a partner (notifications) and its answers: unknown members
  are ignored, so that a field Samsung adds later does not break provisioning.

Every broken rule is a :class:`~linkkit.errors.FieldError` naming the member
(``registration.custom.cardName: required``); the value itself is never repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from linkkit.errors import FieldError, ValidationError
from linkkit.s2p import protocol as p
from linkkit.s2p.types import Boolean, CountryCode, Enum, Kind, Object, PhoneNumber, String, Url, Uuid


@dataclass(frozen=True, slots=True)
class Field:
    """One member of a body: its JSON path, Save to Pay data type, and whether it is Required."""

    path: str
    kind: Kind
    required: bool = False
    #: Samsung's description, for generated docs.
    description: str = ""


#: ``POST /registrations`` body (Save to Pay "Registration", including ``custom.partnerTncUrl``).
REGISTRATION_FIELDS: Final = (
    Field("registration", Object(), True, "The registration"),
    Field("registration.email", String(), description="User email address"),
    Field(
        "registration.enforceEmailMatching",
        Boolean(),
        description="Only a wallet with the same email address can provision (default false)",
    ),
    Field("registration.hideEmail", Boolean(), description="Hide the email field (default false)"),
    Field("registration.phone", PhoneNumber(), description="User phone number"),
    Field(
        "registration.enforcePhoneMatching",
        Boolean(),
        description="Only a wallet with the same phone number can provision (default false)",
    ),
    Field("registration.hidePhone", Boolean(), description="Hide the phone field (default false)"),
    Field(
        "registration.welcomeCallbackUrl",
        Url(),
        description="Where the welcome UI redirects once it reaches a final state",
    ),
    Field(
        "registration.allowOfflineCommunication",
        Boolean(),
        description="S2P may contact the user by email or phone (default false)",
    ),
    Field("registration.data", Object(), description="Arbitrary data passed to the device once linked"),
    Field("registration.custom", Object(), True, "What the welcome page shows"),
    Field("registration.custom.cardName", String(), True, "Card name shown on the welcome page"),
    Field("registration.custom.cardArtUrl", Url(), True, "Card art shown on the welcome page"),
    Field("registration.custom.partnerName", String(), True, "Partner name shown on the welcome page"),
    Field("registration.custom.partnerLogoUrl", Url(), True, "Partner logo shown on the welcome page"),
    Field("registration.custom.partnerTncUrl", Url(), description="Partner terms shown on the welcome page"),
)

#: ``POST /registrations`` (201) and ``GET /registrations/{regId}`` (200) response body.
REGISTRATION_RESPONSE_FIELDS: Final = (
    Field("registration", Object(), True),
    Field("registration.id", Uuid(), True, "Registration ID that identifies this session"),
    Field("registration.status", Enum(p.REGISTRATION_STATUSES), True, "Registration status"),
    Field("registration.welcomeUrl", Url(), True, "The welcome UI to show in an iframe or a page"),
)

#: ``POST /notifications`` body, S2P → partner (Save to Pay "Event Notification"). ``emailMatches`` and
#: ``phoneMatches`` are top-level members: Samsung lists them without a ``user.`` prefix.
NOTIFICATION_FIELDS: Final = (
    Field("event", Object(), True, "The event"),
    Field("event.regId", Uuid(), True, "Registration ID"),
    Field("event.type", Enum(p.EVENT_TYPES), True, "Event type"),
    Field("event.error", Enum(p.EVENT_ERRORS[p.WA_PROVISION_FAILURE]), description="More about a failure"),
    Field("event.desc", String(), description="Additional description of the event"),
    Field("user", Object(), description="User information (present for payment cards)"),
    Field("user.id", String(), True, "Samsung account ID"),
    Field("emailMatches", Boolean(), description="Registration email matches the Samsung account email"),
    Field("phoneMatches", Boolean(), description="Registration phone matches the device phone number"),
    Field("device", Object(), description="Device information (present for payment cards)"),
    Field("device.id", String(), True, "Device ID"),
    Field("device.imeiLast4", String(4), description="Last 4 of the device IMEI"),
    Field("device.serialLast4", String(4), description="Last 4 of the device serial number"),
    Field("device.locale", Object(), description="Device locale"),
    Field("device.locale.country", CountryCode(), description="Device country code"),
    Field("wallet", Object(), description="Wallet information (present for payment cards)"),
    Field("wallet.id", String(), True, "Wallet ID"),
)

#: The partner's answer to a notification (Save to Pay "Event Notification", "Response").
NOTIFICATION_RESPONSE_FIELDS: Final = (
    Field("card", Object()),
    Field("card.data", Object()),
    Field(
        "card.data.encryptedData",
        String(p.ENCRYPTED_DATA_MAX),
        description="Encrypted PAN data returned to the device (required unless registration.data was given)",
    ),
)


@dataclass(frozen=True, slots=True)
class _Node:
    field: Field | None
    children: dict[str, _Node]


def _tree(fields: Iterable[Field]) -> _Node:
    root = _Node(None, {})
    for f in fields:
        node = root
        *parents, leaf = f.path.split(".")
        for name in parents:
            node = node.children[name]  # tables list each parent object before its members
        node.children[leaf] = _Node(f, {})
    return root


def _fold(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _walk(value: Mapping[str, object], node: _Node, prefix: str, strict: bool, out: list[FieldError]) -> None:
    for key, member in value.items():
        path = f"{prefix}{key}"
        child = node.children.get(key) if isinstance(key, str) else None
        if child is None or child.field is None:
            if strict:
                guess = next((n for n in node.children if _fold(n) == _fold(str(key))), None)
                hint = f" (did you mean {prefix}{guess}?)" if guess else ""
                out.append(FieldError(path, "unknown field" + hint))
            continue
        if member is None:
            continue  # null is read as absent; the required check below reports it
        reason = child.field.kind.check(member)
        if reason is None and child.field.required and member == "":
            reason = "required (empty)"
        if reason is not None:
            out.append(FieldError(path, reason))
        elif child.children and isinstance(member, dict):
            _walk(member, child, f"{path}.", strict, out)
    for name, child in node.children.items():
        if child.field is not None and child.field.required and value.get(name) is None:
            out.append(FieldError(f"{prefix}{name}", "required"))


def check_body(body: object, fields: tuple[Field, ...], *, strict: bool) -> list[FieldError]:
    """Every rule of ``fields`` that ``body`` breaks, in document order (empty when it is valid)."""
    if not isinstance(body, dict):
        return [FieldError("", "the body must be a JSON object")]
    out: list[FieldError] = []
    _walk(body, _tree(fields), "", strict, out)
    return out


def _get(body: Mapping[str, object], path: str) -> object:
    value: object = body
    for name in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def check_registration(body: object) -> list[FieldError]:
    """The rules a ``POST /registrations`` body breaks: the table (strict), then the cross-field
    rule that matching can only be enforced against a value the partner gave (Samsung: "Enforcement
    is only against the email address that's provided by the partner")."""
    errors = check_body(body, REGISTRATION_FIELDS, strict=True)
    if isinstance(body, dict):
        for flag, member in (("enforceEmailMatching", "email"), ("enforcePhoneMatching", "phone")):
            if _get(body, f"registration.{flag}") is True and _get(body, f"registration.{member}") in (None, ""):
                errors.append(FieldError(f"registration.{member}", f"required when registration.{flag} is true"))
    return errors


def check_notification(body: object) -> list[FieldError]:
    """The rules a ``POST /notifications`` body breaks (tolerant of members Samsung does not document).

    ``event.error`` is only allowed with an event type Samsung pairs it with (``WA_PROVISION_FAILURE``).
    """
    errors = check_body(body, NOTIFICATION_FIELDS, strict=False)
    if not errors and isinstance(body, dict):
        kind, error = _get(body, "event.type"), _get(body, "event.error")
        if error is not None and error not in p.EVENT_ERRORS.get(str(kind), ()):
            errors.append(FieldError("event.error", f"is not allowed with event.type {kind}"))
    return errors


def validate(errors: list[FieldError]) -> None:
    """Raise :class:`~linkkit.errors.ValidationError` when ``errors`` is not empty."""
    if errors:
        raise ValidationError(errors)
