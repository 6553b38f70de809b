"""What the operator can do to issued cards, through Samsung's server API (templates, adding cards, notifications).

Each change is made in the merchant's database first, then Samsung is told: an Update
Notification (Samsung then calls Get Card Data and gets the new content), a Cancel Notification, a
MIGRATED update that moves the card to a new refId, a Batch Update for a whole screening, card
templates, and a card pushed to a Samsung account. Notifications go to the ``callback`` that Send
Card State gave for the card (the private domain), else to the public domain with the user's cc2:
:class:`linkkit.partner.WalletNotifier` routes Update Notifications that way.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Final

from demo_site.catalogue import CARD_TYPES, SCREENING_ID, initial_attrs, money
from demo_site.merchant_db import IssuedCard
from demo_site.services import Services
from linkkit.atw.links import fetch_link, new_ref_id
from linkkit.cards import CardState
from linkkit.clients.wallet import BatchUpdate, Cancellation, CardUpdate
from linkkit.errors import UnsafeURLError
from linkkit.partner import CardStatus
from linkkit.partner.callbacks import check_callback

#: The operator's update of each kind: button label, and the change made to the card's data.
UPDATE_LABELS: Final = {
    "rewards": "Add 100 points",
    "gift": "Charge $5.00",
    "coupon": "Extend by a week",
    "cinema": "Move to Screen 5",
    "air": "Change the gate",
}
DEFAULT_CC2: Final = "US"
_GATES: Final = ("B7", "C12", "D3", "A9")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened, for the operator's flash message."""

    ok: bool
    message: str


def in_wallet(status: CardStatus | None) -> bool:
    """Samsung said the card is in a wallet (its latest Send Card State is ADDED, UPDATED or PROVISIONED)."""
    return status is not None and status.event != "DELETED"


def _notify(services: Services, card: IssuedCard, update: CardUpdate) -> bool:
    """Send one Update Notification; False when Samsung does not know the card (never added, or 204).

    :raises linkkit.errors.UnsafeURLError: the card's stored callback is off the allow-list: nothing was sent.
    """
    report = services.notifier.update(services.settings.card_ids[card.kind], CARD_TYPES[card.kind], [update])
    if report.refused:
        raise UnsafeURLError(report.refused[0].message, code=report.refused[0].code)
    return not report.unknown and all(answer.card_exists for answer in report.accepted)


def callback_problem(services: Services, callback: str | None) -> str | None:
    """Why a stored callback would not be sent to (the allow-list's reason), or ``None`` when it would."""
    if callback is None:
        return None
    try:
        check_callback(services.notifier.callbacks, callback)
    except UnsafeURLError as exc:
        return exc.message
    return None


def _route(services: Services, card: IssuedCard) -> dict[str, Any]:
    """Where a Cancel Notification for ``card`` goes (WalletNotifier covers Update Notifications only):
    the stored callback, checked against the same allow-list as the notifier's."""
    status = services.partner_store.card_status(services.settings.card_ids[card.kind], card.ref_id)
    if status is not None and status.callback:
        return {"callback": check_callback(services.notifier.callbacks, status.callback)}
    return {"cc2": status.cc2 if status is not None else DEFAULT_CC2}


def _changed_attrs(card: IssuedCard) -> tuple[dict[str, Any], str]:
    a = card.attrs
    if card.kind == "rewards":
        return {"points": int(a["points"]) + 100}, f"{card.number}: {int(a['points']) + 100} points"
    if card.kind == "gift":
        balance = max(0, int(a["balance_cents"]) - 500)
        return {"balance_cents": balance}, f"{card.number}: balance {money(balance)}"
    if card.kind == "coupon":
        return {"expiry": int(a["expiry"]) + 7 * 86_400_000}, f"{card.number}: valid a week longer"
    if card.kind == "cinema":
        return {"screen": "Screen 5"}, f"{card.number}: moved to Screen 5"
    gate = _GATES[(_GATES.index(a["gate"]) + 1) % len(_GATES)] if a["gate"] in _GATES else _GATES[0]
    return {"gate": gate}, f"{card.number}: gate {gate}"


def update(services: Services, card: IssuedCard) -> Outcome:
    """Change the card's data, then Update Notification (state UPDATED)."""
    attrs, what = _changed_attrs(card)
    services.db.update(card.ref_id, attrs=attrs, state=CardState.UPDATED)
    if not _notify(services, card, CardUpdate(ref_id=card.ref_id, state=CardState.UPDATED)):
        return Outcome(False, f"{what}; Samsung does not know this card (HTTP 204): it is in no wallet.")
    return Outcome(True, f"{what}; Samsung was notified and fetched the new card.")


def redeem(services: Services, card: IssuedCard) -> Outcome:
    """The coupon was used at the till: state REDEEMED."""
    services.db.update(card.ref_id, state=CardState.REDEEMED)
    if not _notify(services, card, CardUpdate(ref_id=card.ref_id, state=CardState.REDEEMED)):
        return Outcome(False, f"{card.number}: redeemed; Samsung does not know this card: it is in no wallet.")
    return Outcome(True, f"{card.number}: redeemed.")


def cancel(services: Services, card: IssuedCard) -> Outcome:
    """Cancel Notification for this one card (by refId)."""
    services.db.update(card.ref_id, state=CardState.CANCELED)
    answer = services.wallet.cancel_notification(
        services.settings.card_ids[card.kind],
        CARD_TYPES[card.kind],
        [Cancellation(ref_id=card.ref_id)],
        **_route(services, card),
    )
    found = "" if answer.card_exists else " Samsung does not know this card (HTTP 204)."
    return Outcome(answer.card_exists, f"{card.number}: cancelled.{found}")


def migrate(services: Services, card: IssuedCard) -> Outcome:
    """Move the card to a new refId (state MIGRATED with ``oldRefId`` and an ``atwLink``).

    Samsung requires both for MIGRATED: https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html.
    """
    fresh = services.db.issue(
        ref_id=new_ref_id(), kind=card.kind, holder=card.holder, attrs=card.attrs, visitor=card.visitor
    )
    card_id = services.settings.card_ids[card.kind]
    link = fetch_link(services.identity.certificate_id, card_id, fresh.ref_id, base=services.settings.sandbox_url)
    services.db.update(card.ref_id, state=CardState.MIGRATED, replaced_by=fresh.ref_id)
    sent = _notify(
        services, card, CardUpdate(ref_id=fresh.ref_id, state=CardState.MIGRATED, old_ref_id=card.ref_id, atw_link=link)
    )
    if not sent:
        return Outcome(False, f"{card.number} moved to {fresh.number}; Samsung does not know the old card.")
    return Outcome(True, f"{card.number} moved to {fresh.number}.")


def update_screening(services: Services) -> Outcome:
    """Batch Update: every ticket of the screening moves to Screen 5 (one call for all of them)."""
    tickets = [c for c in services.db.cards(limit=500) if c.kind == "cinema" and c.state != CardState.CANCELED]
    for ticket in tickets:
        services.db.update(ticket.ref_id, attrs={"screen": "Screen 5"}, state=CardState.UPDATED)
    answer = services.wallet.batch_update_notification(
        services.settings.card_ids["cinema"],
        "ticket",
        [BatchUpdate(event_id=SCREENING_ID, state=CardState.UPDATED)],
        cc2=DEFAULT_CC2,
    )
    in_wallets = "" if answer.card_exists else " No wallet holds a ticket for it yet (HTTP 204)."
    return Outcome(True, f"Screening {SCREENING_ID} moved to Screen 5 ({len(tickets)} tickets).{in_wallets}")


def count_screening(services: Services) -> Outcome:
    """Get Reference Ids: how many tickets of the screening are in wallets."""
    found = services.wallet.get_reference_ids(
        services.settings.card_ids["cinema"], event_id=SCREENING_ID, card_type="ticket", cc2=DEFAULT_CC2
    )
    return Outcome(True, f"Samsung reports {found.count} ticket(s) of screening {SCREENING_ID} in wallets.")


def create_template(services: Services, title: str, card_type: str) -> Outcome:
    """Create a card template (Samsung's template API); the sandbox answers with its new card id, in DRAFT."""
    sub_type = {
        "loyalty": "others",
        "giftcard": "others",
        "coupon": "others",
        "ticket": "movies",
        "boardingpass": "airlines",
    }[card_type]
    result = services.wallet.create_template(
        {
            "templateRefId": str(secrets.randbelow(10**18)),
            "title": title,
            "countryCode": DEFAULT_CC2,
            "cardType": card_type,
            "subType": sub_type,
            "appLogoImg": services.catalogue.image("logo"),
            "prtnrCardData": services.settings.partner_base_url,
            "prtnrCardState": services.settings.partner_base_url,
            "desc": "Created from the Northwind operator console",
        }
    )
    return Outcome(True, f"Template {result.card_id} created ({result.result_message or 'OK'}).")


def submit_template(services: Services, card_id: str, template_ref_id: str) -> Outcome:
    """Send a DRAFT template for review (state VERIFYING)."""
    services.wallet.update_template(card_id, {"templateRefId": template_ref_id, "state": "VERIFYING"})
    return Outcome(True, f"Template {card_id} sent for review.")


def push_gift_card(services: Services, email: str) -> Outcome:
    """Add a new gift card straight to a Samsung account (Samsung's "Adding Wallet Cards").

    https://developer.samsung.com/wallet/AdvancedIntegrations/ServerInitiatedCardProvisioning.html
    """
    card = services.db.issue(
        ref_id=new_ref_id(),
        kind="gift",
        holder=email.split("@", 1)[0][:32],
        attrs=initial_attrs("gift", services.now_ms()),
    )
    services.wallet.add_card(
        services.settings.card_ids["gift"], services.catalogue.build(card), account={"type": "email", "value": email}
    )
    return Outcome(True, f"Gift card {card.number} sent to the Samsung account of {email}.")
