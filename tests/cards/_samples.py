"""Cards shaped like Samsung's published Code Lab samples, written for linkkit's tests.

Samsung's ``cdata_generation_sample_code_v1.1.2`` ships a boarding pass, a coupon and an event ticket
(``BoardingPass.json``, ``Coupon.json``, ``Ticket.json``) with ``{placeholders}``. These are linkkit's
own payloads of the same shape, placeholders filled, with the same deviations from Samsung's current
card pages:

- the boarding pass has ``providerLogo.darkUrl`` but no ``providerLogo.lightUrl``, and placeholder
  text instead of a URL in ``appLinkData``;
- the coupon has no ``card.subType`` and sends ``"redeemDate": ""``; its barcode symbology is
  ``CODE128`` (no underscore), which the table lists because the sample sends it;
- the ticket has ``logoImage.darkUrl`` but no ``logoImage.lightUrl``;
- both send ``"fontColor": "#FFFFFF"`` where the current pages accept ``dark`` or ``light``.

(Samsung's Ticket.json also sends ``"locations": [{}]``, a JSON array with no name or address where a
string holding JSON is documented; that stays an error, see :data:`TICKET_LOCATIONS_AS_ARRAY`.)
"""

from __future__ import annotations

import copy
from typing import Any

CREATED = 1_735_000_000_000
HOUR = 3_600_000
LOGO = "https://cdn.example-air.test/logo.png"
APP_LOGO = "https://cdn.example-air.test/app-icon.png"

BOARDING_PASS: dict[str, Any] = {
    "card": {
        "type": "boardingpass",
        "subType": "airlines",
        "data": [
            {
                "refId": "bp-20250101-0001",
                "createdAt": CREATED,
                "updatedAt": CREATED,
                "language": "en",
                "attributes": {
                    "title": "BOARDING PASS",
                    "transitType": "Airline",
                    "providerLogo": LOGO,
                    "providerLogo.darkUrl": LOGO,
                    "providerName": "EXAMPLE AIR",
                    "user": "MR. John Roe",
                    "vehicleNumber": "EX102",
                    "seatClass": "Economy",
                    "seatNumber": "23C",
                    "reservationNumber": "Q7W8E9",
                    "boardingPriority": "Group 2",
                    "boardingSeqNo": "57",
                    "boardingTime": CREATED + 20 * HOUR,
                    "boardingTime.utcOffset": "UTC+01:00",
                    "gateClosingTime": CREATED + 20 * HOUR + HOUR // 2,
                    "gateClosingTime.utcOffset": "UTC+01:00",
                    "baggageAllowance": "23KG",
                    "departName": "AMSTERDAM",
                    "departCode": "AMS",
                    "departTerminal": "2",
                    "departGate": "D7",
                    "estimatedOrActualStartDate": CREATED + 21 * HOUR,
                    "estimatedOrActualStartDate.utcOffset": "UTC+01:00",
                    "arriveName": "LISBON",
                    "arriveCode": "LIS",
                    "arriveTerminal": "1",
                    "arriveGate": "14",
                    "estimatedOrActualEndDate": CREATED + 24 * HOUR,
                    "estimatedOrActualEndDate.utcOffset": "UTC+00:00",
                    "bgColor": "#0B3D91",
                    "fontColor": "#FFFFFF",
                    "appLinkLogo": APP_LOGO,
                    "appLinkName": "Example Air app",
                    "appLinkData": "link to our app",
                    "extraInfo": '{"count":2,"info":[{"title":"Baggage","content":["23 KG"]},'
                    '{"title":"Seat","content":["Economy"]}]}',
                    "noticeDesc": "<p>Be at the gate 30 minutes early.</p>",
                    "csInfo": '{"call":"+31 20 000 0000", "email":"help@example-air.test"}',
                    "barcode.value": "M1ROE/JOHN EQ7W8E9 AMSLISEX 0102",
                    "barcode.serialType": "QRCODE",
                    "barcode.ptFormat": "QRCODESERIAL",
                    "barcode.ptSubFormat": "QR_CODE",
                },
            }
        ],
    }
}

COUPON: dict[str, Any] = {
    "card": {
        "type": "coupon",
        "data": [
            {
                "refId": "cp-20250101-0001",
                "createdAt": CREATED,
                "updatedAt": CREATED,
                "language": "en",
                "attributes": {
                    "title": "Two scoops for one",
                    "orderId": "order-0001",
                    "mainImg": "https://cdn.example-gelato.test/coupon.jpg",
                    "brandName": "Example Gelato",
                    "expiry": CREATED + 30 * 24 * HOUR,
                    "issueDate": CREATED,
                    "redeemDate": "",
                    "noticeDesc": "<br>One coupon per visit<br>",
                    "editableYn": "N",
                    "deletableYn": "Y",
                    "displayRedeemButtonYn": "Y",
                    "addToWalletCouponYn": "Y",
                    "notificationYn": "Y",
                    "appLinkLogo": "https://cdn.example-gelato.test/app.png",
                    "appLinkName": "Gelato",
                    "appLinkData": "https://example-gelato.test/",
                    "barcode.value": "4006381333931",
                    "barcode.serialType": "BARCODE",
                    "barcode.ptFormat": "BARCODESERIAL",
                    "barcode.ptSubFormat": "CODE128",
                },
            }
        ],
    }
}

TICKET: dict[str, Any] = {
    "card": {
        "type": "ticket",
        "subType": "entrances",
        "data": [
            {
                "refId": "tk-20250101-0001",
                "createdAt": CREATED,
                "updatedAt": CREATED,
                "language": "en",
                "attributes": {
                    "title": "TICKET: Night at the Museum",
                    "category": "Museum",
                    "eventId": "event-0001",
                    "orderId": "ticket-order-0001",
                    "mainImg": "https://cdn.example-museum.test/main.png",
                    "logoImage": "https://cdn.example-museum.test/logo.png",
                    "logoImage.darkUrl": "https://cdn.example-museum.test/logo-dark.png",
                    "providerName": "Example Museum",
                    "seatClass": "General",
                    "entrance": "North",
                    "seatNumber": "Free seating",
                    "seatLayoutImage": "https://cdn.example-museum.test/map.png",
                    "issueDate": CREATED,
                    "reservationNumber": "reservation-0001",
                    "user": "MS. Jane Roe",
                    "certification": "All ages",
                    "startDate": CREATED + 48 * HOUR,
                    "endDate": CREATED + 52 * HOUR,
                    "person1": '{"person" : [{"category" : "Adult", "count": 2 },{"category" : "Child", "count": 1 }]}',
                    "noticeDesc": "<ul><li>No flash photography</li></ul>",
                    "csInfo": '{"call":"+44 20 0000 0000", "website":"https://example-museum.test/help"}',
                    "appLinkLogo": "https://cdn.example-museum.test/app.png",
                    "appLinkName": "Museum",
                    "appLinkData": "https://example-museum.test/",
                    "bgColor": "#1E3A2F",
                    "fontColor": "#FFFFFF",
                    "blinkColor": "#00FFFF",
                    "barcode.value": "MUS-0001-7788",
                    "barcode.serialType": "QRCODE",
                    "barcode.ptSubFormat": "QR_CODE",
                    "barcode.ptFormat": "QRCODESERIAL",
                },
            }
        ],
    }
}

#: (card, [(rule id, path), ...]): each sample and the warnings it must give, in document order.
SAMPLES: dict[str, tuple[dict[str, Any], list[tuple[str, str]]]] = {
    "boarding pass": (
        BOARDING_PASS,
        [
            ("font-color-hex", "card.data[0].attributes.fontColor"),
            ("app-link-url", "card.data[0].attributes.appLinkData"),
            ("light-url-missing", "card.data[0].attributes.providerLogo.lightUrl"),
        ],
    ),
    "coupon": (
        COUPON,
        [
            ("empty-timestamp", "card.data[0].attributes.redeemDate"),
            ("sub-type-missing", "card.subType"),
        ],
    ),
    "event ticket": (
        TICKET,
        [
            ("font-color-hex", "card.data[0].attributes.fontColor"),
            ("light-url-missing", "card.data[0].attributes.logoImage.lightUrl"),
        ],
    ),
}


def sample(name: str) -> dict[str, Any]:
    """A fresh copy of the sample called ``name`` (a key of :data:`SAMPLES`)."""
    return copy.deepcopy(SAMPLES[name][0])


def ticket_with_locations_as_array() -> dict[str, Any]:
    """The ticket with Samsung's Ticket.json's other deviation: ``"locations": [{}]``."""
    card = sample("event ticket")
    card["card"]["data"][0]["attributes"]["locations"] = [{}]
    return card


TICKET_LOCATIONS_AS_ARRAY = (
    "card.data[0].attributes.locations",
    "must be a JSON string, not an array: encode it with json.dumps (the builders do this for you)",
)


def conformant(name: str) -> dict[str, Any]:
    """The sample called ``name`` with its deviations mended: what Samsung's current pages ask for."""
    card = sample(name)
    body = card["card"]
    body.setdefault("subType", "others")
    attributes = body["data"][0]["attributes"]
    for logo in ("providerLogo", "logoImage"):
        if logo in attributes:
            attributes[f"{logo}.lightUrl"] = attributes[logo]
    if attributes.get("redeemDate") == "":
        del attributes["redeemDate"]
    attributes["appLinkData"] = "https://app.example-air.test/open"
    if "fontColor" in attributes:
        attributes["fontColor"] = "light"
    return card
