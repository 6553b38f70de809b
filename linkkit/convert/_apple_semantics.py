"""Apple semantic tags (``semantics`` in pass.json) to Samsung attributes, per card type.

Semantic tags are machine-readable (Wallet Passes "SemanticTags"): a ``departureAirportCode`` is a
departure airport code, so they are mapped before any field. Tags Samsung has no slot for stay unread and
the report lists them.
"""

from __future__ import annotations

from typing import Final

from linkkit.convert._draft import Draft
from linkkit.convert._ledger import Node
from linkkit.convert._values import DateProblem, Instant, money, parse_instant, person_name
from linkkit.errors import FieldError, ValidationError

#: ``semantics.eventType`` → ticket ``subType``.
EVENT_SUB_TYPES: Final = {
    "PKEventTypeSports": "sports",
    "PKEventTypeMovie": "movies",
    "PKEventTypeLivePerformance": "performances",
}


def instant(node: Node) -> Instant | None:
    """A W3C date of the pass (Apple always writes the offset); a bad one is an error naming the field."""
    text = node.text()
    if text is None:
        return None
    try:
        return parse_instant(text, None)
    except DateProblem as exc:
        raise ValidationError(FieldError(node.where, str(exc))) from exc


def first_date(draft: Draft, target: str, *nodes: Node) -> None:
    for node in nodes:
        if node.exists:
            draft.when(target, instant(node), node)
            return


def _amount(node: Node) -> str | None:
    amount = node["amount"].text()
    return money(amount, node["currencyCode"].text()) if amount is not None else None


def boarding(draft: Draft, sem: Node) -> None:
    """Airline and train semantic tags."""
    code, airline, number = sem["flightCode"], sem["airlineCode"], sem["flightNumber"]
    if code.exists:
        draft.text("vehicleNumber", code.text(), code)
    elif airline.exists and number.exists:
        draft.text("vehicleNumber", f"{airline.text()}{number.text()}", airline, number)
    draft.text("vehicleNumber", sem["vehicleNumber"].text(), sem["vehicleNumber"])
    for side, prefix in (("departure", "depart"), ("destination", "arrive")):
        draft.text(f"{prefix}Code", sem[f"{side}AirportCode"].text(), sem[f"{side}AirportCode"])
        for name in (f"{side}AirportName", f"{side}StationName", f"{side}LocationDescription"):
            draft.text(f"{prefix}Name", sem[name].text(), sem[name])
        draft.text(f"{prefix}Terminal", sem[f"{side}Terminal"].text(), sem[f"{side}Terminal"])
        for name in (f"{side}Gate", f"{side}Platform"):
            draft.text(f"{prefix}Gate", sem[name].text(), sem[name])
    passenger = sem["passengerName"]
    if isinstance(passenger.value, dict):
        draft.text("user", person_name(passenger.value), passenger)
    seats = sem["seats"].items()
    if seats:
        seat = seats[0]
        ident = seat["seatIdentifier"] if seat["seatIdentifier"].exists else seat["seatNumber"]
        if seat["seatRow"].exists and not seat["seatIdentifier"].exists and ident.exists:
            draft.text("seatNumber", f"{seat['seatRow'].text()}{ident.text()}", seat["seatRow"], ident)
        else:
            draft.text("seatNumber", ident.text(), ident)
        draft.text("seatClass", seat["seatType"].text(), seat["seatType"])
        for extra in seats[1:]:
            extra.refuse("Samsung boarding passes show one seat")
    draft.text("reservationNumber", sem["confirmationNumber"].text(), sem["confirmationNumber"])
    draft.text("boardingGroup", sem["boardingGroup"].text(), sem["boardingGroup"])
    draft.text("boardingSeqNo", sem["boardingSequenceNumber"].text(), sem["boardingSequenceNumber"])
    draft.text("transitOperator", sem["transitProvider"].text(), sem["transitProvider"])
    draft.text("coachNumber", sem["carNumber"].text(), sem["carNumber"])
    draft.text("boardingPriority", sem["priorityStatus"].text(), sem["priorityStatus"])
    first_date(draft, "boardingTime", sem["currentBoardingDate"], sem["originalBoardingDate"])
    first_date(draft, "estimatedOrActualStartDate", sem["currentDepartureDate"], sem["originalDepartureDate"])
    first_date(draft, "estimatedOrActualEndDate", sem["currentArrivalDate"], sem["originalArrivalDate"])


def event(draft: Draft, sem: Node, tr_name: str | None) -> None:
    """Event ticket semantic tags; ``tr_name`` is the translated organization, a fallback venue name."""
    draft.text("title", sem["eventName"].text(), sem["eventName"])
    first_date(draft, "startDate", sem["eventStartDate"])
    first_date(draft, "endDate", sem["eventEndDate"])
    draft.text("holderName", sem["attendeeName"].text(), sem["attendeeName"])
    draft.text("entrance", sem["venueEntrance"].text(), sem["venueEntrance"])
    draft.text("reservationNumber", sem["confirmationNumber"].text(), sem["confirmationNumber"])
    seats = sem["seats"].items()
    if seats:
        seat = seats[0]
        ident = seat["seatIdentifier"] if seat["seatIdentifier"].exists else seat["seatNumber"]
        draft.text("seatNumber", ident.text(), ident)
        draft.text("seatClass", seat["seatType"].text(), seat["seatType"])
        for extra in seats[1:]:
            extra.refuse("Samsung tickets show one seat")
    venue, where = sem["venueName"], sem["venueLocation"]
    if venue.exists or where.exists:
        lat, lng = where["latitude"].number(), where["longitude"].number()
        name = venue.text() or tr_name
        address = f"{lat:.6f}, {lng:.6f}" if lat is not None and lng is not None else venue.text()
        draft.location(name=name, address=address, lat=lat, lng=lng, sources=(venue, where))


def money_tags(draft: Draft, sem: Node) -> None:
    """``balance`` (store cards, gift cards, coupons)."""
    balance = sem["balance"]
    if balance.exists:
        draft.text("balance", _amount(balance), balance)


def membership(draft: Draft, sem: Node) -> None:
    draft.text("title", sem["membershipProgramName"].text(), sem["membershipProgramName"])
