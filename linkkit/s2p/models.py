"""Typed views of the Save to Pay bodies: a registration the partner sends, the registration Samsung
answers with, and the notification Samsung sends back (Registration and Event Notification of
https://developer.samsung.com/pay/save2pay/api-introduction.html).

Each converts to and from the JSON body and validates through :mod:`linkkit.s2p.schema`, so a
partner can build a registration in Python or pass Samsung's JSON body as is, and get the same checks.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from linkkit.s2p import protocol as p
from linkkit.s2p.schema import (
    NOTIFICATION_RESPONSE_FIELDS,
    REGISTRATION_RESPONSE_FIELDS,
    check_body,
    check_notification,
    check_registration,
    validate,
)

# Python attribute → member of ``registration`` (None: under ``registration.custom``).
_TOP: dict[str, str] = {
    "email": "email",
    "enforce_email_matching": "enforceEmailMatching",
    "hide_email": "hideEmail",
    "phone": "phone",
    "enforce_phone_matching": "enforcePhoneMatching",
    "hide_phone": "hidePhone",
    "welcome_callback_url": "welcomeCallbackUrl",
    "allow_offline_communication": "allowOfflineCommunication",
    "data": "data",
}
_CUSTOM: dict[str, str] = {
    "card_name": "cardName",
    "card_art_url": "cardArtUrl",
    "partner_name": "partnerName",
    "partner_logo_url": "partnerLogoUrl",
    "partner_tnc_url": "partnerTncUrl",
}


def _dig(body: Mapping[str, Any], *path: str) -> Any:
    value: Any = body
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


@dataclass(frozen=True, kw_only=True)
class Registration:
    """The body of ``POST /registrations`` (Save to Pay "Registration").

    The four ``custom`` members the welcome page shows are required; everything else is optional
    and left out of the body when None (Samsung applies its documented defaults, all false).

    :raises ValidationError: a member breaks a rule of Save to Pay's data types; the error names it by JSON path
        (``registration.custom.cardArtUrl: must be an absolute http(s) URL``).
    """

    card_name: str
    card_art_url: str
    partner_name: str
    partner_logo_url: str
    partner_tnc_url: str | None = None
    email: str | None = None
    enforce_email_matching: bool | None = None
    hide_email: bool | None = None
    phone: str | None = None
    enforce_phone_matching: bool | None = None
    hide_phone: bool | None = None
    welcome_callback_url: str | None = None
    allow_offline_communication: bool | None = None
    #: Arbitrary JSON object handed to the device once an account is linked.
    data: Mapping[str, Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        validate(check_registration(self.to_body()))

    def to_body(self) -> dict[str, Any]:
        """The JSON body, ``{"registration": {..., "custom": {...}}}``, without None members."""
        reg: dict[str, Any] = {}
        for attr, key in _TOP.items():
            value = getattr(self, attr)
            if value is not None:
                reg[key] = copy.deepcopy(dict(value)) if attr == "data" and isinstance(value, Mapping) else value
        reg["custom"] = {key: getattr(self, attr) for attr, key in _CUSTOM.items() if getattr(self, attr) is not None}
        return {"registration": reg}

    @classmethod
    def from_body(cls, body: object) -> Registration:
        """Read a JSON body (strict: unknown members are refused).

        :raises ValidationError: the body breaks a rule.
        """
        validate(check_registration(body))
        assert isinstance(body, dict)
        reg = body["registration"]
        kwargs: dict[str, Any] = {attr: reg.get(key) for attr, key in _TOP.items()}
        kwargs.update({attr: reg["custom"].get(key) for attr, key in _CUSTOM.items()})
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class RegistrationInfo:
    """A registration as Samsung reports it: its id, ``PENDING`` or ``LINKED``, and the welcome URL."""

    #: ``registration.id`` (Samsung's docs call it regId): cache it, it identifies the session.
    id: str
    #: ``registration.status``: :data:`~linkkit.s2p.protocol.PENDING` or ``LINKED``.
    status: str
    #: ``registration.welcomeUrl``: show it in an iframe (``window.spay.saveToPayUI``) or a page; it expires.
    welcome_url: str = field(repr=False)

    @property
    def is_linked(self) -> bool:
        return self.status == p.LINKED

    def to_body(self) -> dict[str, Any]:
        return {"registration": {"id": self.id, "status": self.status, "welcomeUrl": self.welcome_url}}

    @classmethod
    def from_body(cls, body: object) -> RegistrationInfo:
        """Read a registration response (members Samsung does not document are ignored).

        :raises ValidationError: a required member is missing or malformed.
        """
        validate(check_body(body, REGISTRATION_RESPONSE_FIELDS, strict=False))
        assert isinstance(body, dict)
        reg = body["registration"]
        return cls(id=reg["id"], status=reg["status"], welcome_url=reg["welcomeUrl"])


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """``device`` of a notification."""

    id: str
    imei_last4: str | None = None
    serial_last4: str | None = None
    #: ``device.locale.country``.
    country: str | None = None

    def to_body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.imei_last4 is not None:
            out["imeiLast4"] = self.imei_last4
        if self.serial_last4 is not None:
            out["serialLast4"] = self.serial_last4
        if self.country is not None:
            out["locale"] = {"country": self.country}
        return out


@dataclass(frozen=True, slots=True)
class Notification:
    """The body of ``POST /notifications``, S2P → partner (Save to Pay "Event Notification").

    ``email_matches`` / ``phone_matches`` are None when the registration gave no email / phone;
    ``user_id``, ``device`` and ``wallet_id`` are None when Samsung left the containers out.
    """

    reg_id: str
    #: :data:`~linkkit.s2p.protocol.WA_READY`, ``WA_PROVISIONED`` or ``WA_PROVISION_FAILURE``.
    type: str
    #: ``CARD_ALREADY_PRESENT`` with ``WA_PROVISION_FAILURE``, else None.
    error: str | None = None
    desc: str | None = None
    user_id: str | None = None
    email_matches: bool | None = None
    phone_matches: bool | None = None
    device: DeviceInfo | None = None
    wallet_id: str | None = None

    def __post_init__(self) -> None:
        validate(check_notification(self.to_body()))

    def to_body(self) -> dict[str, Any]:
        event: dict[str, Any] = {"regId": self.reg_id, "type": self.type}
        if self.error is not None:
            event["error"] = self.error
        if self.desc is not None:
            event["desc"] = self.desc
        out: dict[str, Any] = {"event": event}
        if self.user_id is not None:
            out["user"] = {"id": self.user_id}
        if self.email_matches is not None:
            out["emailMatches"] = self.email_matches
        if self.phone_matches is not None:
            out["phoneMatches"] = self.phone_matches
        if self.device is not None:
            out["device"] = self.device.to_body()
        if self.wallet_id is not None:
            out["wallet"] = {"id": self.wallet_id}
        return out

    @classmethod
    def from_body(cls, body: object) -> Notification:
        """Read a notification (members Samsung does not document are ignored).

        :raises ValidationError: a member breaks a rule; the error names it.
        """
        validate(check_notification(body))
        assert isinstance(body, dict)
        device = body.get("device")
        return cls(
            reg_id=_dig(body, "event", "regId"),
            type=_dig(body, "event", "type"),
            error=_dig(body, "event", "error"),
            desc=_dig(body, "event", "desc"),
            user_id=_dig(body, "user", "id"),
            email_matches=body.get("emailMatches"),
            phone_matches=body.get("phoneMatches"),
            device=DeviceInfo(
                id=device["id"],
                imei_last4=device.get("imeiLast4"),
                serial_last4=device.get("serialLast4"),
                country=_dig(device, "locale", "country"),
            )
            if isinstance(device, dict)
            else None,
            wallet_id=_dig(body, "wallet", "id"),
        )


def notification_response(encrypted_data: str | None) -> dict[str, Any]:
    """The partner's answer: ``{"card": {"data": {"encryptedData": ...}}}``, or ``{}`` without data."""
    if encrypted_data is None:
        return {}
    body = {"card": {"data": {"encryptedData": encrypted_data}}}
    validate(check_body(body, NOTIFICATION_RESPONSE_FIELDS, strict=False))
    return body


def encrypted_data_of(body: object) -> str | None:
    """``card.data.encryptedData`` of a partner's answer, or None when it has none.

    :raises ValidationError: the member is there but not a String(65536).
    """
    validate(check_body(body, NOTIFICATION_RESPONSE_FIELDS, strict=False))
    assert isinstance(body, dict)
    value = _dig(body, "card", "data", "encryptedData")
    return value if isinstance(value, str) else None
