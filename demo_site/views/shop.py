"""The shop: the home page and the four card pages (buttons and Add to Wallet links).

* Rewards and gift card: **Data Fetch** links (``#Clip?pdata={refId}``). They hold no card data, so
  the same link works in a page, a QR code, an email or print; Samsung calls Get Card Data.
* Movie ticket and boarding pass: **click-time links**. The button points at the partner's
  ``/samsung/w/{token}``, which mints a Data Transmit link (a 30-second Card Data Token) when it
  is opened and answers 302. No token is ever rendered into a page.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Blueprint, redirect, render_template
from werkzeug.wrappers import Response

from demo_site.catalogue import KIND_NAMES, describe
from demo_site.merchant_db import IssuedCard
from demo_site.services import services_of
from demo_site.views.visitor import click_time_link, data_fetch_link, forget_cards, visitor_card
from linkkit.partner.buttons import button_state

bp = Blueprint("shop", __name__)

#: URL slug, kind, link style, page heading.
PAGES: Final = {
    "rewards": ("rewards", "fetch", "Your Northwind Rewards card"),
    "gift": ("gift", "fetch", "Your Northwind gift card"),
    "cinema": ("cinema", "click", "Your movie ticket"),
    "flight": ("air", "click", "Your boarding pass"),
}


@bp.get("/")
def index() -> str:
    return render_template("index.html")


def _element(card: IssuedCard, style: str, link: str) -> dict[str, Any]:
    """The options of the card page's ``<samsung-wallet-button>`` (docs/buttons.md)."""
    services = services_of()
    card_id = services.settings.card_ids[card.kind]
    buttons = f"{services.settings.partner_prefix}/buttons"
    options: dict[str, Any] = {
        "card": card_id,
        "beacon_url": f"{buttons}/beacon",
        "state": button_state(services.partner_store, card_id, card.ref_id),
        # On this computer the sandbox's wallet stands in for the phone, so the button is shown on
        # every device (gate="auto" would show desktops the QR code, which the page has already).
        "gate": "button",
    }
    if style == "fetch":
        return {"href": link, **options}
    # The click-time link's token: the element POSTs to mint with it when it is pressed.
    return {"mint_url": f"{buttons}/mint/{link.rsplit('/', 1)[1]}", "qr": link, **options}


def _card_page(slug: str) -> str:
    kind, style, heading = PAGES[slug]
    card = visitor_card(kind)
    link = data_fetch_link(card) if style == "fetch" else click_time_link(card)
    return render_template(
        "card.html",
        card=card,
        link=link,
        element=_element(card, style, link),
        style=style,
        heading=heading,
        kind_name=KIND_NAMES[kind],
        summary=describe(card),
    )


@bp.get("/rewards")
def rewards() -> str:
    return _card_page("rewards")


@bp.get("/gift")
def gift() -> str:
    return _card_page("gift")


@bp.get("/cinema")
def cinema() -> str:
    return _card_page("cinema")


@bp.get("/flight")
def flight() -> str:
    return _card_page("flight")


@bp.post("/start-over")
def start_over() -> Response:
    forget_cards()
    return redirect("/", 303)
