"""Save to Samsung Pay (docs/save-to-pay.md): push a payment card with the welcome modal.

The server registers the card once with the S2P API over mutual TLS
(:class:`linkkit.clients.s2p.S2PClient`), and the page hands the welcome URL to
``window.spay.saveToPayUI.showWelcomeModalPromise`` (``static/pay.js``). The shim shows the
welcome page in an accessible modal and resolves with the outcome, which the page prints. What
the page then shows as "in Samsung Wallet" comes from the server (``/pay/status``): the
``WA_PROVISIONED`` notification Samsung sent, never the browser's word alone.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from demo_site.merchant_db import PayCard
from demo_site.security import allow_frame
from demo_site.services import Services, services_of
from demo_site.views.visitor import HOLDER
from linkkit._redact import get_logger
from linkkit.errors import LinkKitError
from linkkit.s2p import Registration

logger = get_logger("demo_site.pay")
bp = Blueprint("pay", __name__, url_prefix="/pay")


def _pay_card(services: Services) -> PayCard:
    card_ref = session.get("pay_card")
    card = services.db.pay_card(card_ref) if isinstance(card_ref, str) else None
    if card is None:
        # The issuer's own card reference, never a card number: the number only travels encrypted
        # (encryptedData, in the answer to WA_READY).
        card = services.db.add_pay_card(
            f"nwpay-{secrets.token_hex(8)}", holder=HOLDER, last4=f"{secrets.randbelow(10_000):04d}"
        )
        session["pay_card"] = card.card_ref
    return card


def registration_for(services: Services, card: PayCard) -> Registration:
    """The registration for ``card``: what the welcome page shows, and where it sends the user after."""
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


def wallet_state(services: Services, card: PayCard) -> dict[str, Any]:
    """What Northwind's server knows about ``card`` in Samsung Wallet, from the S2P notifications."""
    state: dict[str, Any] = {"card": f"{services.settings.brand} Visa ending {card.last4}", "state": "not_added"}
    entry = services.s2p_ledger.get(card.card_ref)
    latest = services.notifications.latest(entry.reg_id) if entry is not None and entry.reg_id else None
    if latest is None:
        return state
    kind = latest.notification.type
    state["state"] = {"WA_PROVISIONED": "added", "WA_PROVISION_FAILURE": "failed"}.get(kind, "in_progress")
    state["notification"] = kind
    state["at"] = time.strftime("%H:%M:%S UTC", time.gmtime(latest.received_at))
    if state["state"] == "added":
        brand = services.settings.brand
        state["text"] = (
            f"{state['card']} is in Samsung Wallet: Samsung confirmed it to {brand} ({kind}, {state['at']})."
        )
    return state


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
    return render_template(
        "pay.html", card=card, welcome_url=welcome_url, notice=notice, wallet=wallet_state(services, card)
    )


@bp.get("/status")
def status() -> Response:
    """The card's state as the server knows it (JSON); the page asks once the welcome window ends."""
    services = services_of()
    card_ref = session.get("pay_card")
    card = services.db.pay_card(card_ref) if isinstance(card_ref, str) else None
    if card is None:
        return Response('{"state": "no_card"}', status=404, mimetype="application/json")
    response = jsonify(wallet_state(services, card))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/new")
def new_card() -> Response:
    session.pop("pay_card", None)
    return redirect(url_for("pay.pay"), 303)


@bp.get("/terms")
def terms() -> str:
    return render_template("terms.html")


@bp.get("/done")
def done() -> str:
    """Where the welcome page sends the user when it was opened as a page (its ``welcomeCallbackUrl``)."""
    return render_template("pay_done.html")
