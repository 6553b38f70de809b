"""Apple pass fields (``headerFields`` … ``backFields``): read them, and recognise the ones Samsung has a slot for.

An Apple field is free text: ``{"key": "gate", "label": "GATE", "value": "F12"}``. Samsung's attributes
are typed slots (``departGate``). The semantic tags of a pass say exactly what is what and are used first;
a field fills a slot only when its key or its label names it (:data:`HINTS`, matched on the lowercase
letters and digits of the key, then of the label). What fills no slot is kept as text: on the back of the
card (``noticeDesc``), or in ``text1`` … ``text12`` of a generic card.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

from linkkit.convert._ledger import Node
from linkkit.convert._values import DateProblem, Instant, money, parse_instant

#: The field groups of a pass, front to back.
SECTIONS: Final = ("headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields")
_FORMAT_KEYS: Final = ("dateStyle", "timeStyle", "isRelative", "ignoresTimeZone", "currencyCode", "numberStyle")

Translate = Callable[[str | None], str | None]


@dataclass(frozen=True)
class PassField:
    """One field of the pass, its label and value translated, a date read as an instant."""

    node: Node
    section: str
    key: str
    label: str | None
    value: str | None
    instant: Instant | None
    #: The label as written in pass.json: slots are recognised on it, the same in every language.
    raw_label: str | None = None

    @property
    def sources(self) -> tuple[Node, ...]:
        """The nodes that make up the field's meaning (key, label, value and its format hints)."""
        names = ("key", "label", "value", *_FORMAT_KEYS)
        return tuple(self.node[n] for n in names if self.node[n].exists)

    @property
    def front(self) -> bool:
        return self.section != "backFields"


def _display_date(instant: Instant) -> str:
    zone = timezone(timedelta(minutes=instant.offset_minutes))
    local = datetime.fromtimestamp(instant.ms / 1000, UTC).astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M")


def read_fields(style: Node, tr: Translate) -> list[PassField]:
    """Every field with a key and a value, in display order."""
    fields: list[PassField] = []
    for section in SECTIONS:
        for node in style[section].items():
            key, raw = node["key"].text(), node["value"]
            if key is None or not raw.exists:
                continue
            instant = None
            text = raw.text()
            if text is not None and isinstance(raw.value, str) and _is_date(node):
                try:
                    instant = parse_instant(text, None)
                except DateProblem:
                    instant = None
            value: str | None
            if instant is not None:
                value = _display_date(instant)
            elif isinstance(raw.value, (int, float)) and node["currencyCode"].text():
                value = money(raw.value, node["currencyCode"].text())
            else:
                value = tr(text)
            label = node["label"].text()
            fields.append(PassField(node, section, key, tr(label), value, instant, label))
    return fields


def _is_date(node: Node) -> bool:
    return any(node[k].exists for k in ("dateStyle", "timeStyle", "isRelative", "ignoresTimeZone"))


def _norm(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


@dataclass(frozen=True)
class Hint:
    """Fields whose key or label matches ``pattern`` fill ``target`` (dates only the date slots)."""

    pattern: re.Pattern[str]
    target: str
    date: bool = False


def _hints(*rows: tuple[str, str] | tuple[str, str, bool]) -> tuple[Hint, ...]:
    return tuple(Hint(re.compile(row[0]), row[1], len(row) > 2 and bool(row[2])) for row in rows)


#: Per Samsung type: key/label patterns (lowercase letters and digits, matched at the start) → attribute.
HINTS: Final = {
    "boardingpass": _hints(
        (r"^gateclos", "gateClosingTime", True),
        (r"^(boards|boarding|boardingtime)", "boardingTime", True),
        (r"^(depart|departs|departure|etd|std)", "estimatedOrActualStartDate", True),
        (r"^(arriv|eta|sta)", "estimatedOrActualEndDate", True),
        (r"^(passenger|traveler|traveller|name|guest)", "user"),
        (r"^seat(no|number)?$", "seatNumber"),
        (r"^(class|cabin|fareclass|seatclass)", "seatClass"),
        (r"^(flight|train|bus|ferry|vessel|service|vehicle)(no|number)?$", "vehicleNumber"),
        (r"^(confirmation|conf|booking|bookingref|pnr|reservation|record|locator)", "reservationNumber"),
        (r"^(group|zone|boardinggroup)", "boardingGroup"),
        (r"^(seq|sequence)", "boardingSeqNo"),
        (r"^(gate|departuregate|boardinggate)$", "departGate"),
        (r"^(terminal|departureterminal)$", "departTerminal"),
        (r"^(arrivalgate)$", "arriveGate"),
        (r"^(arrivalterminal)$", "arriveTerminal"),
        (r"^(coach|car|carriage|wagon)(no|number)?$", "coachNumber"),
        (r"^(priority|boardingpriority)", "boardingPriority"),
        (r"^(baggage|bags|luggage)", "baggageAllowance"),
        (r"^(fare|tariff)", "transitFare"),
        (r"^(operator|carrier|airline)$", "transitOperator"),
    ),
    "ticket": _hints(
        (r"^(doors|date|start|starts|event|when|time|showtime|kickoff)", "startDate", True),
        (r"^(end|ends|until)", "endDate", True),
        (r"^(holder|attendee|guest|name|member)", "holderName"),
        (r"^(entrance|gate|door|portal)", "entrance"),
        (r"^(confirmation|order|booking|reservation)", "reservationNumber"),
        (r"^(tickettype|admission|grade|category|type)", "grade"),
        (r"^(class|seatclass)", "seatClass"),
    ),
    "coupon": _hints(
        (r"^(expir|expires|validuntil|until|useby|enddate)", "expiry", True),
        (r"^(redeem|redeemed)", "redeemDate", True),
        (r"^(balance|remaining|credit)", "balance"),
    ),
    "loyalty": _hints(
        (r"^(expir|validuntil|until)", "endDate", True),
        (r"^(since|membersince|joined|validfrom|issued)", "startDate", True),
        (r"^(balance|points|credit|remaining)", "balance"),
        (r"^(tier|level|status)", "subtitle1"),
        (r"^(amount)", "amount"),
    ),
    "giftcard": _hints(
        (r"^(expir|validuntil|until)", "endDate", True),
        (r"^(since|validfrom|issued)", "startDate", True),
        (r"^(balance|remaining|credit)", "balance"),
        (r"^(amount|value|facevalue)", "amount"),
        (r"^(holder|name|cardholder|to|recipient)", "user"),
    ),
    "generic": _hints(
        (r"^(date|start|validfrom|issued|when)", "startDate", True),
        (r"^(expir|until|end|validuntil)", "endDate", True),
    ),
}

#: Seat parts of an event ticket, joined into ``seatNumber`` with their own labels.
SEAT_PARTS: Final = re.compile(r"^(section|sec|block|area|row|seat|seatno|seatnumber)$")


def hinted_target(field: PassField, card_type: str) -> str | None:
    """The slot a field's key (else its label) names, dates for date slots only.

    A slot already filled (by a semantic tag, say) still claims the field: it is the same information,
    and the report lists it as coming from the tag.
    """
    for text in (_norm(field.key), _norm(field.raw_label)):
        if not text:
            continue
        for hint in HINTS.get(card_type, ()):
            if hint.date == (field.instant is not None) and hint.pattern.search(text):
                return hint.target
    return None


def is_seat_part(field: PassField) -> bool:
    return bool(SEAT_PARTS.match(_norm(field.key)) or SEAT_PARTS.match(_norm(field.raw_label)))
