"""Save to Pay constants both sides share: Samsung's enums, headers and application codes, and the
welcome UI ⇄ page protocol (linkkit's own, ``docs/welcome-protocol.md``).

The REST values come from https://developer.samsung.com/pay/save2pay/api-introduction.html, the
``Status`` and ``ErrorCode`` enums from https://developer.samsung.com/pay/save2pay/js-lib.html.

The partner side (:mod:`linkkit.clients.s2p`, :mod:`linkkit.partner.s2p`) and the sandbox
(:mod:`linkkit.sandbox.s2p`) never import each other; they agree through this module, as the
partner and Samsung agree through Samsung's published contract. Every value here is a named constant so that a
change in Samsung's contract is a one-line change.
"""

from __future__ import annotations

from typing import Final, Literal

# -- REST API (Save to Pay inbound and outbound APIs) ------------------------------------------

#: Header carrying the caller's request id (Save to Pay's UUID type), both directions.
REQUEST_ID_HEADER: Final = "Request-Id"
#: Header carrying the Partner ID Samsung issues per environment at onboarding (Save to Pay "Onboarding Steps").
PARTNER_ID_HEADER: Final = "Partner-Id"
#: Header echoing the request id in every response (Save to Pay "Common Headers").
RESPONSE_ID_HEADER: Final = "Response-Id"

#: The application codes of Save to Pay's "Common HTTP Error Codes", with their HTTP status and
#: Samsung's message for each.
INVALID_DATA: Final = "400.1"
INTERNAL_ERROR: Final = "500.1"
SERVICE_UNAVAILABLE: Final = "503.1"
API_UNAVAILABLE: Final = "503.2"
APPLICATION_CODES: Final[dict[str, tuple[int, str]]] = {
    INVALID_DATA: (400, "Invalid Data"),
    INTERNAL_ERROR: (500, "Internal Server Error"),
    SERVICE_UNAVAILABLE: (503, "Service Temporarily Unavailable"),
    API_UNAVAILABLE: (503, "API Temporarily Unavailable"),
}

#: ``registration.status`` (Save to Pay "Registration": "Enum - PENDING, LINKED").
RegistrationStatus = Literal["PENDING", "LINKED"]
PENDING: Final = "PENDING"
LINKED: Final = "LINKED"
REGISTRATION_STATUSES: Final = (PENDING, LINKED)

#: ``event.type`` of a notification (Save to Pay "Event Types and Errors").
WA_READY: Final = "WA_READY"
WA_PROVISIONED: Final = "WA_PROVISIONED"
WA_PROVISION_FAILURE: Final = "WA_PROVISION_FAILURE"
EVENT_TYPES: Final = (WA_READY, WA_PROVISIONED, WA_PROVISION_FAILURE)
#: ``event.error``: Samsung pairs it with ``WA_PROVISION_FAILURE`` only.
CARD_ALREADY_PRESENT: Final = "CARD_ALREADY_PRESENT"
EVENT_ERRORS: Final[dict[str, tuple[str, ...]]] = {WA_PROVISION_FAILURE: (CARD_ALREADY_PRESENT,)}

#: Largest ``card.data.encryptedData`` a partner may answer with (Save to Pay: "String. Size: 65536").
ENCRYPTED_DATA_MAX: Final = 65536

# -- Welcome UI ⇄ page protocol (docs/welcome-protocol.md) ----------------------------------

#: The protocol version every message carries as ``v``.
PROTOCOL_VERSION: Final = 1
#: parent → iframe after each load: ``{"type": HELLO, "v": 1, "device": Device}``.
HELLO: Final = "s2p:hello"
#: iframe → parent: ``{"type": READY, "v": 1}``.
READY: Final = "s2p:ready"
#: iframe → parent: ``{"type": STATUS, "v": 1, "status": Status, "final": bool, "details"?, "redirectUrl"?}``.
STATUS: Final = "s2p:status"
#: iframe → parent: ``{"type": CLOSE, "v": 1}``.
CLOSE: Final = "s2p:close"
MESSAGE_TYPES: Final = (HELLO, READY, STATUS, CLOSE)

#: Device types that decide when the shim's promise resolves, as the shim names them in ``s2p:hello``.
Device = Literal["android", "ios", "tablet", "desktop"]
DEVICES: Final = ("android", "ios", "tablet", "desktop")

#: Samsung's ``Status`` enum (the ``window.spay.saveToPayUI`` interface of the S2P JS library).
Status = Literal["SUCCESS", "FAILURE", "DEVICE_NOT_SUPPORTED", "DEFAULT_PENDING"]
SUCCESS: Final = "SUCCESS"
FAILURE: Final = "FAILURE"
DEVICE_NOT_SUPPORTED: Final = "DEVICE_NOT_SUPPORTED"
DEFAULT_PENDING: Final = "DEFAULT_PENDING"
STATUSES: Final = (SUCCESS, FAILURE, DEVICE_NOT_SUPPORTED, DEFAULT_PENDING)

#: Samsung's ``ErrorCode`` enum (``details.errorCode`` of the same interface).
ErrorCode = Literal[
    "INVALID_INPUT", "PROVISION_FAILURE", "NETWORK_ERROR", "UNKNOWN_ERROR", "CARD_ALREADY_PRESENT", "CANCELED"
]
INVALID_INPUT: Final = "INVALID_INPUT"
PROVISION_FAILURE: Final = "PROVISION_FAILURE"
NETWORK_ERROR: Final = "NETWORK_ERROR"
UNKNOWN_ERROR: Final = "UNKNOWN_ERROR"
CANCELED: Final = "CANCELED"
ERROR_CODES: Final = (INVALID_INPUT, PROVISION_FAILURE, NETWORK_ERROR, UNKNOWN_ERROR, CARD_ALREADY_PRESENT, CANCELED)


def status_message(
    status: str,
    *,
    final: bool,
    error_code: str | None = None,
    message: str | None = None,
    redirect_url: str | None = None,
) -> dict[str, object]:
    """The ``s2p:status`` message of the welcome protocol, checked against Samsung's enums.

    :raises ValueError: a status or error code outside Samsung's enums, or a message without a code.
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)} (got {status!r})")
    if error_code is not None and error_code not in ERROR_CODES:
        raise ValueError(f"error_code must be one of {', '.join(ERROR_CODES)} (got {error_code!r})")
    if message is not None and error_code is None:
        raise ValueError("a message needs an error_code (details.errorCode is required)")
    out: dict[str, object] = {"type": STATUS, "v": PROTOCOL_VERSION, "status": status, "final": bool(final)}
    if error_code is not None:
        details: dict[str, str] = {"errorCode": error_code}
        if message is not None:
            details["message"] = message
        out["details"] = details
    if redirect_url is not None:
        out["redirectUrl"] = redirect_url
    return out
