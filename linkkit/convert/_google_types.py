"""Each Google Wallet type's own fields to its Samsung card type (the rest is in ``_google_common``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from linkkit.convert._google_common import G, links
from linkkit.convert._ledger import Node
from linkkit.convert._values import micros_money

#: ``transitClass.transitType`` → boarding pass ``subType``.
TRANSIT_SUB_TYPES: Final = {"BUS": "buses", "RAIL": "trains", "TRAM": "trains", "FERRY": "ferries", "OTHER": "others"}
_FARE_CLASSES: Final = {"ECONOMY": "Economy", "FIRST": "First", "BUSINESS": "Business"}
_CONCESSIONS: Final = {"ADULT": "Adult", "CHILD": "Child", "SENIOR": "Senior"}
# Google's default labels where a class sets none (Google shows these, localized, on its own card).
_SEAT_LABELS: Final = {"section": "Section", "row": "Row", "seat": "Seat"}


def _enum(node: Node, names: dict[str, str]) -> str | None:
    text = node.text()
    return names.get(text.upper()) if text else None


def _money(node: Node) -> str | None:
    return micros_money(node["micros"].value, node["currencyCode"].text()) if node.exists else None


def flight(g: G) -> None:
    draft, obj, cls = g.draft, g.obj, g.cls
    header, carrier = cls["flightHeader"], cls["flightHeader"]["carrier"]
    code = carrier["carrierIataCode"] if carrier["carrierIataCode"].exists else carrier["carrierIcaoCode"]
    number, override = header["flightNumber"], header["flightNumberDisplayOverride"]
    flight_no = override.text() or f"{code.text() or ''}{number.text() or ''}" or None
    sources = (override,) if override.exists else (code, number)
    draft.text("vehicleNumber", flight_no, *sources)
    origin, destination = cls["origin"], cls["destination"]
    route = "-".join(c for c in (origin["airportIataCode"].text(), destination["airportIataCode"].text()) if c)
    draft.text("title", " ".join(p for p in (flight_no, route) if p) or None, *sources, origin["airportIataCode"])
    if carrier["airlineName"].exists:
        g.text("providerName", carrier["airlineName"])
    g.issuer()
    g.logo(carrier["airlineLogo"], cls["logo"], obj["logo"])
    g.image(("membershipStatusLevel",), carrier["airlineAllianceLogo"])
    operating = header["operatingCarrier"]
    g.text("transitOperator", operating["airlineName"])
    for side, prefix in ((origin, "depart"), (destination, "arrive")):
        draft.text(f"{prefix}Code", side["airportIataCode"].text(), side["airportIataCode"])
        g.text(f"{prefix}Name", side["airportNameOverride"])
        draft.text(f"{prefix}Terminal", side["terminal"].text(), side["terminal"])
        draft.text(f"{prefix}Gate", side["gate"].text(), side["gate"])
    g.when("boardingTime", cls["localBoardingDateTime"])
    g.when("gateClosingTime", cls["localGateClosingDateTime"])
    for name in ("localEstimatedOrActualDepartureDateTime", "localScheduledDepartureDateTime"):
        g.when("estimatedOrActualStartDate", cls[name])
    for name in ("localEstimatedOrActualArrivalDateTime", "localScheduledArrivalDateTime"):
        g.when("estimatedOrActualEndDate", cls[name], arrival=True)
    draft.text("user", obj["passengerName"].text(), obj["passengerName"])
    seating = obj["boardingAndSeatingInfo"]
    if not draft.text("seatNumber", seating["seatNumber"].text(), seating["seatNumber"]):
        g.text("seatNumber", seating["seatAssignment"])
    draft.text("seatClass", seating["seatClass"].text(), seating["seatClass"])
    draft.text("boardingGroup", seating["boardingGroup"].text(), seating["boardingGroup"])
    draft.text("boardingSeqNo", seating["sequenceNumber"].text(), seating["sequenceNumber"])
    reservation = obj["reservationInfo"]
    draft.text("reservationNumber", reservation["confirmationCode"].text(), reservation["confirmationCode"])
    flyer = reservation["frequentFlyerInfo"]
    if flyer["frequentFlyerNumber"].exists:
        g.notice_of(flyer["frequentFlyerProgramName"], flyer["frequentFlyerNumber"])


def transit(g: G) -> None:
    draft, obj, cls = g.draft, g.obj, g.cls
    g.issuer()
    g.logo(cls["logo"], obj["logo"])
    legs = obj["ticketLegs"].items()
    leg = obj["ticketLeg"] if obj["ticketLeg"].exists else (legs[0] if legs else obj["ticketLeg"])
    for extra in legs[1:]:
        extra.refuse("Samsung boarding passes have one leg: convert each leg as its own card")
    operator = leg["transitOperatorName"] if leg["transitOperatorName"].exists else cls["transitOperatorName"]
    g.text("transitOperator", operator)
    if draft.can("providerName") and operator.exists:
        g.text("providerName", operator)
    draft.text("departCode", leg["originStationCode"].text(), leg["originStationCode"])
    g.text("departName", leg["originName"])
    draft.text("arriveCode", leg["destinationStationCode"].text(), leg["destinationStationCode"])
    g.text("arriveName", leg["destinationName"])
    draft.text("departGate", leg["platform"].text(), leg["platform"])
    draft.text("vehicleNumber", leg["carriage"].text(), leg["carriage"])
    codes = [leg[n] for n in ("originStationCode", "destinationStationCode") if leg[n].exists]
    title = " ".join(p for p in (leg["carriage"].text(), "-".join(c.text() or "" for c in codes)) if p)
    draft.text("title", title or None, leg["carriage"], *codes)
    g.text("transitFare", leg["fareName"])
    seats = leg["ticketSeats"].items()
    seat = leg["ticketSeat"] if leg["ticketSeat"].exists else (seats[0] if seats else leg["ticketSeat"])
    for other in seats[1:]:
        other.refuse("Samsung boarding passes show one seat")
    draft.text("coachNumber", seat["coach"].text(), seat["coach"])
    if not draft.text("seatNumber", seat["seat"].text(), seat["seat"]):
        g.text("seatNumber", seat["seatAssignment"])
    if not draft.text("seatClass", _enum(seat["fareClass"], _FARE_CLASSES), seat["fareClass"]):
        g.text("seatClass", seat["customFareClass"])
    departure = leg["departureDateTime"]
    g.when("estimatedOrActualStartDate", departure)
    g.when("boardingTime", departure)  # a train or a bus is boarded at its departure
    g.when("estimatedOrActualEndDate", leg["arrivalDateTime"], arrival=True)
    draft.text("user", obj["passengerNames"].text(), obj["passengerNames"])
    if not draft.text("userType", _enum(obj["concessionCategory"], _CONCESSIONS), obj["concessionCategory"]):
        g.text("userType", obj["customConcessionCategory"])
    purchase = obj["purchaseDetails"]
    if not draft.text("reservationNumber", purchase["confirmationCode"].text(), purchase["confirmationCode"]):
        draft.text("reservationNumber", obj["ticketNumber"].text(), obj["ticketNumber"])
    else:
        obj["ticketNumber"].refuse("reservationNumber already holds the confirmation code")
    restrictions = obj["ticketRestrictions"]
    for name, label in (
        ("routeRestrictions", "customRouteRestrictionsLabel"),
        ("routeRestrictionsDetails", "customRouteRestrictionsDetailsLabel"),
        ("timeRestrictions", "customTimeRestrictionsLabel"),
        ("otherRestrictions", "customOtherRestrictionsLabel"),
    ):
        g.notice_of(cls[label] if cls[label].exists else None, restrictions[name])


def _seat_text(g: G, seat: Node) -> tuple[str | None, list[Node]]:
    parts, sources = [], []
    for name in ("section", "row", "seat"):
        value = g.loc(seat[name])
        if value is None:
            continue
        custom = g.cls[f"custom{name.capitalize()}Label"]
        label = g.loc(custom) if custom.exists else _SEAT_LABELS[name]
        parts.append(f"{label} {value}")
        sources += [seat[name], custom]
    return (", ".join(parts) or None), sources


def event_ticket(g: G) -> None:
    draft, obj, cls = g.draft, g.obj, g.cls
    g.text("title", cls["eventName"])
    g.issuer()
    draft.put("eventId", cls["eventId"].text(), cls["eventId"])
    g.logo(cls["logo"], obj["logo"])
    g.first_image(("mainImg",), g.pick("heroImage"), cls["logo"])
    when = cls["dateTime"]
    g.when("startDate", when["start"])
    g.when("endDate", when["end"])
    venue = cls["venue"]
    if venue.exists:
        first = cls["locations"][0]
        lat, lng = first["latitude"].number(), first["longitude"].number()
        draft.location(
            name=g.loc(venue["name"]),
            address=g.loc(venue["address"]),
            lat=lat,
            lng=lng,
            sources=(venue, first) if lat is not None else (venue,),
        )
    seat_text, sources = _seat_text(g, obj["seatInfo"])
    draft.text("seatNumber", seat_text, *sources)
    g.text("entrance", obj["seatInfo"]["gate"])
    code = obj["reservationInfo"]["confirmationCode"]
    if not draft.text("reservationNumber", code.text(), code):
        draft.text("reservationNumber", obj["ticketNumber"].text(), obj["ticketNumber"])
    else:
        obj["ticketNumber"].refuse("reservationNumber already holds the confirmation code")
    draft.text("holderName", obj["ticketHolderName"].text(), obj["ticketHolderName"])
    g.text("grade", obj["ticketType"])
    g.notice_of(None, cls["finePrint"])


def offer(g: G) -> None:
    cls = g.cls
    g.text("title", g.either(cls, "title"))
    g.text("brandName", g.either(cls, "provider"))
    g.issuer("brandName")
    g.logo(cls["titleImage"], cls["logo"])
    g.first_image(("mainImg",), g.pick("heroImage"), cls["titleImage"])
    g.validity("issueDate", "expiry")
    for name in ("details", "finePrint"):
        g.notice_of(None, g.either(cls, name))
    if cls["helpUri"].exists:
        links(g, cls["helpUri"])


def gift_card(g: G) -> None:
    draft, obj, cls = g.draft, g.obj, g.cls
    merchant = g.either(cls, "merchantName")
    g.text("title", merchant)
    g.text("merchantName", merchant)
    g.issuer()
    g.logo(cls["programLogo"])
    g.image(("bgImage",), g.pick("heroImage"))
    draft.text("balance", _money(obj["balance"]), obj["balance"])
    g.validity("startDate", "endDate")
    number = obj["cardNumber"]
    label = g.either(cls, "cardNumberLabel")
    if not obj["barcode"].exists and number.exists:
        draft.put("barcode.value", number.text(), number)
        draft.put("barcode.serialType", "SERIALNUMBER", number)
        draft.put("barcode.ptFormat", "SERIAL", number)
    else:
        g.notice_of(label, number)
    draft.put("barcode.pin", obj["pin"].text(), obj["pin"])
    event_label = (
        cls["localizedEventNumberLabel"] if cls["localizedEventNumberLabel"].exists else cls["eventNumberLabel"]
    )
    g.notice_of(event_label, obj["eventNumber"])


def _points(g: G, node: Node) -> tuple[str | None, list[Node]]:
    balance = node["balance"]
    value = balance["string"].text() or balance["int"].text() or balance["double"].text() or _money(balance["money"])
    label = node["localizedLabel"] if node["localizedLabel"].exists else node["label"]
    text = g.loc(label)
    return (f"{value} {text}" if value and text else value), [balance, label, node["label"]]


def loyalty(g: G) -> None:
    draft, obj, cls = g.draft, g.obj, g.cls
    g.text("title", g.either(cls, "programName"))
    g.issuer()
    g.logo(cls["programLogo"])
    g.image(("bgImage",), g.pick("heroImage"))
    draft.text("subtitle1", obj["accountName"].text(), obj["accountName"])
    for node, target in ((obj["loyaltyPoints"], "balance"), (obj["secondaryLoyaltyPoints"], "amount")):
        if node.exists:
            text, sources = _points(g, node)
            draft.text(target, text, *sources)
    g.validity("startDate", "endDate")
    for value, label in (("accountId", "accountIdLabel"), ("rewardsTier", "rewardsTierLabel")):
        source = obj[value] if obj[value].exists else cls[value]
        g.notice_of(g.either(cls, label), source)


def generic(g: G) -> None:
    obj = g.obj  # a generic class holds only modules and links, read by common()
    g.text("title", obj["header"])
    g.text("providerName", obj["cardTitle"])
    g.text("subtitle", obj["subheader"])
    g.logo(obj["logo"], obj["wideLogo"])
    g.image(("mainImg",), obj["heroImage"])
    g.validity("startDate", "endDate")


#: Google type → its mapping.
MAPPERS: Final[dict[str, Callable[[G], None]]] = {
    "flight": flight,
    "transit": transit,
    "eventTicket": event_ticket,
    "offer": offer,
    "giftCard": gift_card,
    "loyalty": loyalty,
    "generic": generic,
}
