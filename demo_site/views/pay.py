"""Save to Samsung Pay (SPEC.md §1 S2, S3): push a payment card with the welcome modal.

The server registers the card once with the S2P API over mutual TLS
(:class:`linkkit.clients.s2p.S2PClient`), and the page hands the welcome URL to
``window.spay.saveToPayUI.showWelcomeModalPromise`` (``static/pay.js``). The shim shows the
welcome page in an accessible modal and resolves with the outcome, which the page prints.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from demo_site.merchant_db import PayCard
from demo_site.security import allow_frame
from demo_site.services import Services, services_of
from demo_site.views.visitor import HOLDER
from linkkit.errors import LinkKitError
from linkkit.s2p import Registration

logger = logging.getLogger("demo_site.pay")
bp = Blueprint("pay", __name__, url_prefix="/pay")


def _pay_card(services: Services) -> PayCard:
    card_ref = session.get("pay_card")
    card = services.db.pay_card(card_ref) if isinstance(card_ref, str) else None
    if card is None:
        # The issuer's own card reference: never a card number (seed 001 §3.4.11).
        card = services.db.add_pay_card(
            f"nwpay-{secrets.token_hex(8)}", holder=HOLDER, last4=f"{secrets.randbelow(10_000):04d}"
        )
        session["pay_card"] = card.card_ref
    return card


def registration_for(services: Services, card: PayCard) -> Registration:
    """What the welcome page shows for ``card`` (seed 001 §3.4.11)."""
    base = services.settings.public_url
    return Registration(
        card_name=f"Northwind Visa ending {card.last4}",
        card_art_url=services.catalogue.image("card-art"),
        partner_name="Northwind Bank",
        partner_logo_url=services.catalogue.image("logo"),
        partner_tnc_url=f"{base}{url_for('pay.terms')}",
        welcome_callback_url=f"{base}{url_for('pay.done')}",
    )


def welcome_url_for(services: Services, card: PayCard) -> str:
    """Register once per card (the ledger remembers), then keep the welcome URL fresh."""
    entry = services.s2p_ledger.get(card.card_ref)
    if entry is not None and entry.state == "registered":
        return services.s2p.welcome_url(card.card_ref)
    return services.s2p.register(registration_for(services, card), card_ref=card.card_ref).welcome_url


@bp.get("/")
def pay() -> str:
    services = services_of()
    card = _pay_card(services)
    welcome_url: str | None = None
    notice: str | None = None
    try:
        welcome_url = welcome_url_for(services, card)
    except LinkKitError as exc:
        # Degrade visibly: the page says what is missing instead of offering a dead button.
        logger.warning("Save to Pay registration failed: %s", type(exc).__name__)
        notice = f"Save to Samsung Pay is unavailable right now: the S2P service did not register the card ({exc})."
    if welcome_url is not None:
        parts = urlsplit(welcome_url)
        allow_frame(f"{parts.scheme}://{parts.netloc}")
    return render_template("pay.html", card=card, welcome_url=welcome_url, notice=notice)


@bp.post("/new")
def new_card() -> Response:
    session.pop("pay_card", None)
    return redirect(url_for("pay.pay"), 303)


@bp.get("/terms")
def terms() -> str:
    return render_template("terms.html")


@bp.get("/done")
def done() -> str:
    """Where the welcome page sends the user when it was opened as a page (seed 001 welcomeCallbackUrl)."""
    return render_template("pay_done.html")
