"""Shared card examples: one minimal valid card per Samsung card type."""

from __future__ import annotations

import copy
from typing import Any

NOW_MS = 1_700_000_000_000
LOGO = "https://img.example/logo.png"
APP_LINK = {
    "appLinkLogo": "https://img.example/app.png",
    "appLinkName": "Example",
    "appLinkData": "https://app.example/open",
}

#: (subType, attributes) of a minimal valid card of each type: exactly the required attributes.
VALID: dict[str, tuple[str, dict[str, Any]]] = {
    "boardingpass": (
        "airlines",
        {
            "title": "Boarding pass",
            "providerLogo": LOGO,
            "providerLogo.darkUrl": LOGO,
            "providerLogo.lightUrl": LOGO,
            "providerName": "Example Air",
            "seatNumber": "12A",
            "reservationNumber": "ABC123",
            "user": "Jane Doe",
            "vehicleNumber": "EX701",
            "seatClass": "Economy",
        },
    ),
    "ticket": (
        "movies",
        {
            "title": "Movie night",
            "mainImg": "https://img.example/main.png",
            "logoImage": LOGO,
            "logoImage.darkUrl": LOGO,
            "logoImage.lightUrl": LOGO,
            "providerName": "Example Cinema",
            "issueDate": NOW_MS,
        },
    ),
    "coupon": (
        "others",
        {
            "title": "Free coffee",
            "mainImg": "https://img.example/coupon.png",
            "expiry": NOW_MS + 86_400_000,
            "issueDate": NOW_MS,
            "editableYn": "N",
            "deletableYn": "Y",
            "displayRedeemButtonYn": "Y",
            "notificationYn": "Y",
            **APP_LINK,
        },
    ),
    "giftcard": ("others", {"title": "Gift card", "providerName": "Example Shop", **APP_LINK}),
    "loyalty": ("others", {"title": "Gold member", "providerName": "Example Coffee", **APP_LINK}),
    "generic": ("others", {"title": "Parking pass", "providerName": "Example Parking", "startDate": NOW_MS}),
    "idcard": (
        "employees",
        {
            "title": "Employee badge",
            "holderName": "Jane Doe",
            "identifier": "E-1234",
            "issueDate": NOW_MS,
            "providerName": "Example Corp",
            "csInfo": '{"call":"+1-555-0100"}',
        },
    ),
    "payasyougo": (
        "evcharges",
        {
            "title": "Charge card",
            "noticeDesc": '{"count":1,"info":[{"title":"Rates","content":["$1/kWh"]}]}',
            **APP_LINK,
        },
    ),
    "digitalkey": (
        "hotels",
        {
            "title": "Room key",
            "identifier": "K-99",
            "issueDate": NOW_MS,
            "providerName": "Example Hotel",
            "csInfo": '{"email":"desk@hotel.example"}',
        },
    ),
    "clip": (
        "trips",
        {
            "title": "Weekend trip",
            "mainImg": "https://img.example/trip.png",
            "providerName": "Example Travel",
            "startDate": NOW_MS,
            **APP_LINK,
        },
    ),
    "relyingparty": (
        "others",
        {
            "logoImage": LOGO,
            "logoImage.darkUrl": LOGO,
            "logoImage.lightUrl": LOGO,
            "providerName": "Example Bank",
            "clientType": "WEB",
        },
    ),
}


def make_card(card_type: str = "loyalty", **attributes: Any) -> dict[str, Any]:
    """A valid card of ``card_type`` (fresh copy); ``attributes`` are merged in (``None`` removes one)."""
    sub_type, base = VALID[card_type]
    attrs = copy.deepcopy(base)
    for key, value in attributes.items():
        if value is None:
            attrs.pop(key, None)
        else:
            attrs[key] = value
    return {
        "card": {
            "type": card_type,
            "subType": sub_type,
            "data": [
                {
                    "refId": "ref-0001",
                    "createdAt": NOW_MS,
                    "updatedAt": NOW_MS,
                    "language": "en",
                    "attributes": attrs,
                }
            ],
        }
    }


def entry(card: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """``card.data[index]`` of a card."""
    data: dict[str, Any] = card["card"]["data"][index]
    return data
