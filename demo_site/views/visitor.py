"""The visitor's own cards: one of each kind per browser session, made on first visit.

A real merchant would look the signed-in customer's cards up; the demo keeps their refIds in the
(signed) session cookie so that every browser, and every test, gets cards of its own.
"""

from __future__ import annotations

import secrets
from typing import Final

from flask import session

from demo_site.catalogue import initial_attrs
from demo_site.merchant_db import IssuedCard
from demo_site.services import services_of
from linkkit.atw.links import fetch_link, new_ref_id

#: The demo's customer.
HOLDER: Final = "Alex Kim"
#: Click-time links live a week and open at most 20 times (mail scanners and previews count too).
CLICK_LINK_TTL: Final = 7 * 86_400.0
CLICK_LINK_USES: Final = 20


def visitor_id() -> str:
    """This browser session's visitor id (random; the operator console groups cards by it)."""
    visitor = session.get("visitor")
    if not isinstance(visitor, str) or len(visitor) != 16:
        visitor = secrets.token_hex(8)
        session["visitor"] = visitor
    return visitor


def visitor_card(kind: str) -> IssuedCard:
    """The visitor's card of ``kind``, following migrations to the current refId."""
    services = services_of()
    cards = dict(session.get("cards") or {})
    ref = cards.get(kind)
    card = services.db.by_ref_id(ref) if isinstance(ref, str) else None
    while card is not None and card.replaced_by:
        card = services.db.by_ref_id(card.replaced_by)
    if card is None:
        card = services.db.issue(
            ref_id=new_ref_id(),
            kind=kind,
            holder=HOLDER,
            attrs=initial_attrs(kind, services.now_ms()),
            visitor=visitor_id(),
        )
    if cards.get(kind) != card.ref_id:
        cards[kind] = card.ref_id
        session["cards"] = cards
    return card


def data_fetch_link(card: IssuedCard) -> str:
    """The card's Data Fetch link: safe to print, mail or put in a QR code (it holds only the refId)."""
    services = services_of()
    settings = services.settings
    return fetch_link(
        services.identity.certificate_id, settings.card_ids[card.kind], card.ref_id, base=settings.sandbox_url
    )


def click_time_link(card: IssuedCard) -> str:
    """A click-time link for ``card`` (docs/partner.md#click-time-links): opening it mints a fresh Data Transmit link.

    One link per card and session, so reloading the page does not fill the store.
    """
    services = services_of()
    links = dict(session.get("links") or {})
    known = links.get(card.kind)
    if isinstance(known, list) and len(known) == 2 and known[0] == card.ref_id:
        return str(known[1])
    url = services.click_links.create(
        services.settings.card_ids[card.kind],
        card.ref_id,
        expires_at=services.clock() + CLICK_LINK_TTL,
        max_uses=CLICK_LINK_USES,
        channel="web",
    )
    links[card.kind] = [card.ref_id, url]
    session["links"] = links
    return url


def forget_cards() -> None:
    """Start over: the next page view issues new cards."""
    session.pop("cards", None)
    session.pop("links", None)
    session.pop("pay_card", None)
    session.pop("visitor", None)
