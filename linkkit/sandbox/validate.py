"""What the sandbox checks in the bodies partners send to Samsung's server API.

Cards themselves (Card Data Tokens, Get Card Data answers, cards added to an account) are checked by
:func:`linkkit.cards.validate_card`, in the same two tiers as everywhere in linkkit: errors refuse
the card, warnings are shown with it, and ``SandboxConfig(strict_cards=True)`` refuses warnings too.
Update Notification bodies are checked by :func:`linkkit.cards.check_update_notification`. This module
adds card templates, Batch Update and Cancel Notification entries, and the Get Reference Ids query
(https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html); where these carry
card members (``cardType``, ``subType``, ``eventId``, ``refId``, ``vehicleNumber``, timestamps,
``state``) they are judged by the card rules themselves, so the sandbox accepts exactly what the card
validator accepts. Each function returns every broken rule as a :class:`~linkkit.errors.FieldError`
naming the member; none of them raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from linkkit.cards import REF_ID_MAX_INCOMING, check_card_type, check_sub_type
from linkkit.cards.kinds import RefId, Url
from linkkit.cards.registry import BOARDINGPASS, TICKET
from linkkit.cards.states import state_reason
from linkkit.errors import FieldError

Check = Callable[[object], "str | None"]


def _string(max_len: int, pattern: re.Pattern[str] | None = None, rule: str = "") -> Check:
    def check(value: object) -> str | None:
        if not isinstance(value, str) or not value:
            return f"must be a non-empty string of at most {max_len} characters"
        if len(value) > max_len:
            return f"must be at most {max_len} characters (String({max_len}))"
        if pattern is not None and not pattern.fullmatch(value):
            return f"must be {rule}"
        return None

    return check


def _url(max_len: int) -> Check:
    # The card rule for image and link URLs (rule "url"), with the template's own length.
    url = Url(max_len)

    def check(value: object) -> str | None:
        return _string(max_len)(value) or url.check(value)

    return check


def _card_member(check: Check) -> Check:
    """A card rule, and not empty: ids and numbers that name a card."""

    def checked(value: object) -> str | None:
        return "must not be empty" if value == "" else check(value)

    return checked


def _one_of(*values: str) -> Check:
    def check(value: object) -> str | None:
        return None if value in values else "must be one of " + ", ".join(f'"{v}"' for v in values)

    return check


_YN: Final = _one_of("Y", "N")
_DIGITS_19: Final = _string(19, re.compile(r"[0-9]{1,19}"), "a number of at most 19 digits")
_COUNTRY: Final = _string(2, re.compile(r"[A-Z]{2}"), "an ISO 3166-1 alpha-2 code in capitals, e.g. KR")
_PARTNER_URL_FIELDS: Final = (
    "prtnrCardData",
    "prtnrCardState",
    "prtnrMemPoint",
    "cardMetaCP",
    "getFulfillmentList",
    "prtnrBalance",
)

# Samsung's "Adding Wallet Card Templates": the cardTemplate members and their rules.
_TEMPLATE_COMMON: Final[dict[str, Check]] = {
    "prtnrId": _string(32),
    "templateRefId": _DIGITS_19,
    "title": _string(32),
    "countryCode": _COUNTRY,
    "appLogoImg": _url(200),
    "saveInServerYn": _YN,
    "prtnrAppPckgName": _string(128),
    "noNetworkSupportYn": _YN,
    "shareButtonExposureYN": _YN,
    "privacyModeYn": _YN,
    "preventCaptureYn": _YN,
    "category": _string(20),
    "desc": _string(500),
    **{name: _url(1000) for name in _PARTNER_URL_FIELDS},
}
TEMPLATE_CREATE: Final[dict[str, Check]] = {
    **_TEMPLATE_COMMON,
    "cardType": check_card_type,
    "subType": _string(100),
    "designType": _string(100),
    "state": _one_of("DRAFT", "VERIFYING"),
}
TEMPLATE_UPDATE: Final[dict[str, Check]] = {
    **_TEMPLATE_COMMON,
    "cardId": _string(32),
    "state": _one_of("VERIFYING"),  # "If the card status is DRAFT, you can only select VERIFYING"
    "testingModeOff": _YN,
}
_CREATE_REQUIRED: Final = ("prtnrId", "templateRefId", "title", "countryCode", "cardType", "subType")
_UPDATE_REQUIRED: Final = ("prtnrId", "cardId", "templateRefId")


def _members(
    obj: Mapping[str, Any], rules: Mapping[str, Check], required: tuple[str, ...], path: str
) -> list[FieldError]:
    errors = []
    for key, value in obj.items():
        rule = rules.get(key) if isinstance(key, str) else None
        if rule is None:
            errors.append(FieldError(f"{path}.{key}", "is not allowed"))
            continue
        reason = rule(value)
        if reason is not None:
            errors.append(FieldError(f"{path}.{key}", reason))
    errors += [FieldError(f"{path}.{key}", "required") for key in required if key not in obj]
    return errors


def check_template(payload: object, *, update: bool, partner_id: str) -> list[FieldError]:
    """Every broken rule of a ``{"cardTemplate": {...}}`` payload (create, or ``update=True``)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("cardTemplate"), dict):
        return [FieldError("cardTemplate", "required, an object")]
    extra = [FieldError(str(k), "is not allowed") for k in payload if k != "cardTemplate"]
    template: dict[str, Any] = payload["cardTemplate"]
    rules, required = (TEMPLATE_UPDATE, _UPDATE_REQUIRED) if update else (TEMPLATE_CREATE, _CREATE_REQUIRED)
    errors = extra + _members(template, rules, required, "cardTemplate")
    if template.get("prtnrId") not in (None, partner_id):
        errors.append(FieldError("cardTemplate.prtnrId", "must be the partner id of the x-smcs-partner-id header"))
    card_type = template.get("cardType")
    if isinstance(card_type, str) and not update and "subType" in template:
        reason = check_sub_type(card_type, template["subType"])
        if reason is not None and not any(e.path == "cardTemplate.subType" for e in errors):
            errors.append(FieldError("cardTemplate.subType", reason))
    if "category" in template and not update and template.get("cardType") != "generic":
        errors.append(FieldError("cardTemplate.category", 'can only be set when cardType is "generic"'))
    if "saveInServerYn" in template and not update and template.get("cardType") != "idcard":
        errors.append(FieldError("cardTemplate.saveInServerYn", 'can only be set when cardType is "idcard"'))
    return errors


# Members of the cards themselves: the card-type table's own rules (eventId String(32) ...).
_EVENT_ID: Final = _card_member(TICKET.attributes["eventId"].check)
_VEHICLE_NUMBER: Final = _card_member(BOARDINGPASS.attributes["vehicleNumber"].check)
_START_DATE: Final = BOARDINGPASS.attributes["estimatedOrActualStartDate"].check
_REF_ID: Final = RefId(REF_ID_MAX_INCOMING).check
_STATE: Final = state_reason


def _entries(body: object, key_rules: Mapping[str, Check]) -> tuple[str | None, list[dict[str, Any]], list[FieldError]]:
    if not isinstance(body, dict) or not isinstance(body.get("card"), dict):
        return None, [], [FieldError("card", "required, an object")]
    card = body["card"]
    errors = [FieldError(f"card.{k}", "is not allowed") for k in card if k not in ("type", "data")]
    card_type = card.get("type")
    reason = check_card_type(card_type)
    if reason is not None:
        errors.append(FieldError("card.type", reason))
    data = card.get("data")
    if not isinstance(data, list) or not data:
        return None, [], [*errors, FieldError("card.data", "required, a non-empty array")]
    entries: list[dict[str, Any]] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            errors.append(FieldError(f"card.data[{i}]", "must be an object"))
            continue
        errors += _members(entry, key_rules, (), f"card.data[{i}]")
        entries.append(entry)
    return (card_type if isinstance(card_type, str) else None), entries, errors  # checked above


def check_batch_update(body: object) -> list[FieldError]:
    """Batch Update Notification: ``{"card": {"type", "data": [{"eventId", "state"?}]}}``."""
    _, entries, errors = _entries(body, {"eventId": _EVENT_ID, "state": _STATE})
    for i, entry in enumerate(entries):
        if "eventId" not in entry:
            errors.append(FieldError(f"card.data[{i}].eventId", "required"))
    return errors


def check_cancel(body: object) -> list[FieldError]:
    """Cancel Notification: ``state`` required; a ticket names its ``eventId``, a boarding pass its
    ``vehicleNumber`` and ``estimatedOrActualStartDate``, other types a ``refId`` or ``eventId``."""
    rules = {
        "refId": _REF_ID,
        "eventId": _EVENT_ID,
        "vehicleNumber": _VEHICLE_NUMBER,
        "estimatedOrActualStartDate": _START_DATE,
        "state": _STATE,
    }
    card_type, entries, errors = _entries(body, rules)
    for i, entry in enumerate(entries):
        where = f"card.data[{i}]"
        if "state" not in entry:
            errors.append(FieldError(f"{where}.state", "required"))
        if card_type == "ticket" and "eventId" not in entry and "refId" not in entry:
            errors.append(FieldError(f"{where}.eventId", 'required when card.type is "ticket"'))
        elif card_type == "boardingpass" and "refId" not in entry:
            for key in ("vehicleNumber", "estimatedOrActualStartDate"):
                if key not in entry:
                    errors.append(FieldError(f"{where}.{key}", 'required when card.type is "boardingpass"'))
        elif card_type not in ("ticket", "boardingpass") and not ({"refId", "eventId"} & set(entry)):
            errors.append(FieldError(f"{where}.refId", "required (or eventId)"))
    return errors


def check_reference_query(query: Mapping[str, str]) -> list[FieldError]:
    """Get Reference Ids: ``eventId`` (String(32)) and ``type`` (a card type) are required."""
    errors = []
    reason = _EVENT_ID(query.get("eventId"))
    if reason is not None:
        errors.append(FieldError("eventId", reason))
    reason = check_card_type(query.get("type"))
    if reason is not None:
        errors.append(FieldError("type", reason))
    return errors
