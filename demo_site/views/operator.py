"""The operator console: what Samsung told the partner, and what the partner tells Samsung.

* incoming: Send Card State events (ADDED, UPDATED, DELETED) and Save to Pay notifications;
* outgoing: update, cancel, migrate and redeem issued cards, batch-update a screening, count its
  tickets, create card templates, push a gift card to an account (:mod:`demo_site.operations`);
* the sandbox wallet, read from its JSON view, so the effect of each call is visible.

A real back office would sit behind a login; this one binds to 127.0.0.1 only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, Final

import httpx
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from demo_site import operations
from demo_site.catalogue import CARD_TYPES, KIND_NAMES, SCREENING_ID, describe
from demo_site.merchant_db import IssuedCard
from demo_site.operations import Outcome
from demo_site.services import Services, services_of
from linkkit._redact import get_logger
from linkkit.atw.links import is_valid_card_id
from linkkit.errors import LinkKitError, UnsafeURLError
from linkkit.partner.stats import FunnelReport, funnel_report

logger = get_logger("demo_site.operator")
bp = Blueprint("operator", __name__, url_prefix="/operator")

_EMAIL: Final = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}")
_TITLE: Final = re.compile(r"[^\x00-\x1f\x7f]{1,32}")
_TEMPLATE_TYPES: Final = ("coupon", "loyalty", "giftcard", "ticket", "boardingpass")
#: Attributes of a wallet card worth showing, and the words a person reads for them.
_SHOWN: Final = {"balance": "balance", "seatNumber": "seat", "entrance": "entrance", "gate": "gate"}
_CARD_ACTIONS: Final[dict[str, Callable[[Services, IssuedCard], Outcome]]] = {
    "update": operations.update,
    "cancel": operations.cancel,
    "migrate": operations.migrate,
    "redeem": operations.redeem,
}


@bp.app_template_filter("clock")
def clock_filter(epoch_seconds: float) -> str:
    """``12:04:09 UTC`` for the operator's tables."""
    return time.strftime("%H:%M:%S UTC", time.gmtime(epoch_seconds))


def sandbox_wallet(services: Services) -> tuple[dict[str, Any] | None, str | None]:
    """The sandbox's wallet (``GET /_sandbox/wallet``), or why it could not be read."""
    try:
        response = services.http.get(f"{services.settings.sandbox_url}/_sandbox/wallet")
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return None, f"The sandbox wallet at {services.settings.sandbox_url} could not be read ({type(exc).__name__})."
    if not isinstance(body, dict) or not isinstance(body.get("cards"), list):
        return None, "The sandbox wallet view answered in an unexpected shape."
    return body, None


def _wallet_line(entry: dict[str, Any]) -> str:
    attrs = entry.get("data", {}).get("attributes", {}) if isinstance(entry.get("data"), dict) else {}
    shown = [f"{label} {attrs[name]}" for name, label in _SHOWN.items() if name in attrs]
    return ", ".join(shown) or str(attrs.get("title", ""))


def _rows(services: Services, wallet: dict[str, Any] | None) -> list[dict[str, Any]]:
    in_wallet = {(c.get("cardId"), c.get("refId")): c for c in (wallet or {}).get("cards", []) if isinstance(c, dict)}
    rows = []
    for card in services.db.cards(limit=100):
        card_id = services.settings.card_ids[card.kind]
        status = services.partner_store.card_status(card_id, card.ref_id)
        entry = in_wallet.get((card_id, card.ref_id))
        rows.append(
            {
                "card": card,
                "kind_name": KIND_NAMES[card.kind],
                "summary": describe(card),
                "status": status,
                "live": operations.in_wallet(status) and card.state not in ("CANCELED", "MIGRATED", "REDEEMED"),
                "wallet_state": entry.get("state") if entry else None,
                "wallet_line": _wallet_line(entry) if entry else "",
                "update_label": operations.UPDATE_LABELS[card.kind],
            }
        )
    return rows


def visits(rows: list[dict[str, Any]], current: object) -> list[dict[str, Any]]:
    """The rows (newest first) grouped by the visit that made them, newest visit first.

    Every visit to the card pages makes five cards, so the console shows your own visit and the
    newest one open and folds the others; cards made in the wallet (a sign-up) or sent to an
    account belong to no visit and form a group of their own.
    """
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["card"].visitor, []).append(row)
    out = []
    for index, (visitor, members) in enumerate(grouped.items()):
        started = min(float(r["card"].created_at) for r in members)
        if visitor is None:
            label = "Signed up in the wallet or sent to an account"
        elif visitor == current:
            label = "Your visit"
        else:
            label = f"A visit from {clock_filter(started)}"
        out.append(
            {
                "label": label,
                "rows": members,
                "open": index == 0 or (visitor is not None and visitor == current),
                "anchor": f"visit-{index + 1}",
            }
        )
    return out


def _events(services: Services) -> list[dict[str, Any]]:
    kinds = {v: k for k, v in services.settings.card_ids.items()}
    out = []
    for event in services.partner_store.events(limit=30):
        card = services.db.by_ref_id(event.ref_id)
        out.append(
            {
                "event": event,
                "kind_name": KIND_NAMES.get(kinds.get(event.card_id, ""), event.card_id),
                "number": card.number if card else "—",
                # shown as stored (the template escapes it), with the reason nothing is sent there
                "callback_problem": operations.callback_problem(services, event.callback),
            }
        )
    return out


def _s2p_notifications(services: Services) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for pay_card in services.db.pay_cards(limit=30):
        entry = services.s2p_ledger.get(pay_card.card_ref)
        if entry is None or not entry.reg_id:
            continue
        for stored in services.notifications.for_registration(entry.reg_id):
            out.append({"card": pay_card, "stored": stored, "n": stored.notification})
    out.sort(key=lambda row: float(row["stored"].received_at), reverse=True)
    return out[:30]


#: The window of the console's button funnel.
FUNNEL_DAYS: Final = 7


def _funnel(services: Services) -> FunnelReport:
    end = (int(services.clock()) // 86_400 + 1) * 86_400  # the end of today (UTC)
    return funnel_report(services.partner_store, since=end - FUNNEL_DAYS * 86_400, until=end)


@bp.get("/funnel.png")
def funnel_chart() -> Response:
    """The button funnel of the last days as a PNG bar chart (what ``linkkit stats --png`` writes)."""
    png = _funnel(services_of()).png()
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.get("/")
def console() -> str:
    services = services_of()
    wallet, wallet_error = sandbox_wallet(services)
    rows = _rows(services, wallet)
    return render_template(
        "operator.html",
        rows=rows,
        visits=visits(rows, session.get("visitor")),
        events=_events(services),
        s2p=_s2p_notifications(services),
        wallet=wallet,
        wallet_error=wallet_error,
        templates=(wallet or {}).get("templates", []),
        template_types=_TEMPLATE_TYPES,
        screening=SCREENING_ID,
        card_types=CARD_TYPES,
        funnel=_funnel(services),
    )


def _run(action: Callable[[], Outcome], anchor: str = "") -> Response:
    try:
        outcome = action()
        flash(outcome.message, "ok" if outcome.ok else "warning")
    except UnsafeURLError as exc:
        logger.warning("operator action not sent: %s", exc.code)
        flash(f"Not sent: Samsung's callback stored for this card is refused ({exc})", "error")
    except LinkKitError as exc:
        # linkkit's errors never carry tokens or refIds, so they can be shown as they are.
        logger.warning("operator action failed: %s", type(exc).__name__)
        flash(f"Samsung's API refused or could not be reached: {exc}", "error")
    return redirect(url_for("operator.console") + anchor, 303)


@bp.post("/cards/<number>/<action>")
def card_action(number: str, action: str) -> Response:
    services = services_of()
    card = services.db.by_number(number)
    handler = _CARD_ACTIONS.get(action)
    if card is None or handler is None or (action == "redeem" and card.kind != "coupon"):
        abort(404)
    return _run(lambda: handler(services, card), f"#card-{card.number}")


@bp.post("/screening/<action>")
def screening(action: str) -> Response:
    services = services_of()
    if action == "update":
        return _run(lambda: operations.update_screening(services), "#screening")
    if action == "count":
        return _run(lambda: operations.count_screening(services), "#screening")
    abort(404)


@bp.post("/templates")
def create_template() -> Response:
    services = services_of()
    title = request.form.get("title", "").strip()
    card_type = request.form.get("card_type", "")
    if not _TITLE.fullmatch(title) or card_type not in _TEMPLATE_TYPES:
        flash("A template needs a title of 1 to 32 characters and a card type.", "error")
        return redirect(url_for("operator.console") + "#templates", 303)
    return _run(lambda: operations.create_template(services, title, card_type), "#templates")


@bp.post("/templates/<card_id>/submit")
def submit_template(card_id: str) -> Response:
    services = services_of()
    template_ref_id = request.form.get("template_ref_id", "")
    if not is_valid_card_id(card_id) or not template_ref_id.isdigit() or len(template_ref_id) > 19:
        abort(400)
    return _run(lambda: operations.submit_template(services, card_id, template_ref_id), "#templates")


@bp.post("/push")
def push() -> Response:
    services = services_of()
    email = request.form.get("email", "").strip()
    if not _EMAIL.fullmatch(email):
        flash("Enter the Samsung account's email address, such as alex@example.com.", "error")
        return redirect(url_for("operator.console") + "#push", 303)
    return _run(lambda: operations.push_gift_card(services, email), "#push")
