"""What Northwind's cards look like: card JSON built with :mod:`linkkit.cards` from the merchant's rows.

One function per kind, each reading an :class:`~demo_site.merchant_db.IssuedCard`. The partner
endpoints (Get Card Data, click-time links, Request Action) call :func:`build_card` every time, so
the wallet always gets the merchant's current data: change a row, send an Update Notification,
and the wallet shows the change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from demo_site.merchant_db import IssuedCard
from linkkit.cards import (
    Barcode,
    CardDict,
    boarding_pass_card,
    coupon_card,
    gift_card,
    loyalty_card,
    ticket_card,
)

#: The Wallet card type of each kind (what Update and Cancel Notifications name).
CARD_TYPES: Final = MappingProxyType(
    {
        "rewards": "loyalty",
        "gift": "giftcard",
        "coupon": "coupon",
        "cinema": "ticket",
        "air": "boardingpass",
    }
)

#: Shown to people: page titles, operator tables.
KIND_NAMES: Final = MappingProxyType(
    {
        "rewards": "Rewards card",
        "gift": "Gift card",
        "coupon": "Coupon",
        "cinema": "Movie ticket",
        "air": "Boarding pass",
    }
)

#: The screening every demo ticket is for (tickets of one ``eventId`` can be updated or cancelled together).
SCREENING_ID: Final = "NWC-SCREEN3-0612"
FLIGHT: Final = "NW101"
DAY_MS: Final = 86_400_000


def initial_attrs(kind: str, now_ms: int) -> dict[str, Any]:
    """The starting data of a new card of ``kind``."""
    start = now_ms - now_ms % DAY_MS + 5 * DAY_MS  # five days from now, at midnight UTC + offsets below
    starts: dict[str, dict[str, Any]] = {
        "rewards": {"points": 1250, "tier": "Gold"},
        "gift": {"balance_cents": 5000},
        "coupon": {"expiry": now_ms + 30 * DAY_MS, "offer": "2-for-1 lattes"},
        "cinema": {"seat": "F12", "screen": "Screen 3", "starts": start + 19 * 3_600_000 + 30 * 60_000},
        "air": {"seat": "14C", "gate": "B7", "departs": start + 8 * 3_600_000 + 45 * 60_000},
    }
    return starts[kind]


def describe(card: IssuedCard) -> str:
    """One line about the card's current data, for the operator's tables."""
    a = card.attrs
    if card.kind == "rewards":
        return f"{a['points']} points, {a['tier']}"
    if card.kind == "gift":
        return f"balance {money(a['balance_cents'])}"
    if card.kind == "coupon":
        return str(a["offer"])
    if card.kind == "cinema":
        return f"{a['screen']}, seat {a['seat']}"
    return f"{FLIGHT} gate {a['gate']}, seat {a['seat']}"


def money(cents: int) -> str:
    return f"${cents // 100}.{cents % 100:02d}"


class Catalogue:
    """Builds card JSON for the merchant's rows; images are served by the demo at ``public_url``."""

    def __init__(self, public_url: str, brand: str = "Northwind") -> None:
        self.public_url = public_url.rstrip("/")
        self.brand = brand
        self._builders: Mapping[str, Callable[[IssuedCard], CardDict]] = {
            "rewards": self._rewards,
            "gift": self._gift,
            "coupon": self._coupon,
            "cinema": self._cinema,
            "air": self._air,
        }

    def image(self, name: str) -> str:
        return f"{self.public_url}/static/img/{name}.png"

    def build(self, card: IssuedCard) -> CardDict:
        """The ``{"card": ...}`` JSON of ``card``, as the wallet should show it now."""
        return self._builders[card.kind](card)

    def _common(self, card: IssuedCard) -> dict[str, Any]:
        return {
            "ref_id": card.ref_id,
            "created_at": int(card.created_at * 1000),
            "updated_at": int(card.updated_at * 1000),
        }

    def _app_link(self) -> dict[str, Any]:
        # The card's link back to the merchant: the demo's own home page (a real merchant: its app or site).
        return {
            "app_link_logo": self.image("logo"),
            "app_link_name": self.brand,
            "app_link_data": f"{self.public_url}/",
        }

    def _rewards(self, card: IssuedCard) -> CardDict:
        a = card.attrs
        return loyalty_card(
            **self._common(card),
            **self._app_link(),
            title=f"{self.brand} Rewards",
            provider_name=f"{self.brand} Coffee",
            barcode=Barcode(value=card.number, serial_type="QRCODE"),
            balance=f"{a['points']} points",
            subtitle1=card.holder,
            logo_image=self.image("logo"),
            bg_color="#0b4f6c",
            font_color="light",  # Samsung: "Acceptable values: dark, light"
        )

    def _gift(self, card: IssuedCard) -> CardDict:
        return gift_card(
            **self._common(card),
            **self._app_link(),
            title=f"{self.brand} Gift Card",
            provider_name=f"{self.brand} Coffee",
            barcode=Barcode(value=card.number, serial_type="BARCODE"),
            balance=money(card.attrs["balance_cents"]),
            user=card.holder,
            main_img=self.image("gift"),
            logo_image=self.image("logo"),
        )

    def _coupon(self, card: IssuedCard) -> CardDict:
        a = card.attrs
        return coupon_card(
            **self._common(card),
            **self._app_link(),
            title=str(a["offer"]),
            main_img=self.image("coupon"),
            expiry=int(a["expiry"]),
            brand_name=f"{self.brand} Coffee",
            barcode=Barcode(value=card.number, serial_type="QRCODE"),
        )

    def _cinema(self, card: IssuedCard) -> CardDict:
        a = card.attrs
        return ticket_card(
            **self._common(card),
            title="The Lighthouse Keeper",
            main_img=self.image("poster"),
            logo_image=self.image("logo"),
            provider_name=f"{self.brand} Cinema",
            sub_type="movies",
            event_id=SCREENING_ID,
            start_date=int(a["starts"]),
            seat_number=str(a["seat"]),
            entrance=str(a["screen"]),
            holder_name=card.holder,
            barcode=Barcode(value=card.number, serial_type="QRCODE"),
        )

    def _air(self, card: IssuedCard) -> CardDict:
        a = card.attrs
        departs = int(a["departs"])
        return boarding_pass_card(
            **self._common(card),
            title=f"{FLIGHT} SFO → SEA",
            provider_name=f"{self.brand} Air",
            provider_logo=self.image("logo"),
            seat_number=str(a["seat"]),
            reservation_number="NWX7Q2",
            user=card.holder,
            vehicle_number=FLIGHT,
            seat_class="Economy",
            depart_code="SFO",
            depart_name="San Francisco",
            arrive_code="SEA",
            arrive_name="Seattle",
            gate=str(a["gate"]),
            boarding_time=departs - 40 * 60_000,
            estimated_or_actual_start_date=departs,
            barcode=Barcode(value=f"M1{card.holder.upper().replace(' ', '/')} {card.number}", serial_type="QRCODE"),
        )
