"""The merchant's side of the Samsung calls: its :class:`~linkkit.partner.CardSource` and its Request
Action handlers (the member sign-up of a Data Action link, SPEC.md §3.2).

Everything protocol-shaped (token checks, the signedAtwLink, the order of steps, the answer
bodies) is linkkit's; these functions only decide, as a merchant's code would.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from demo_site.catalogue import Catalogue, initial_attrs
from demo_site.merchant_db import MerchantDB
from linkkit.links import new_ref_id
from linkkit.partner import (
    CHECK_ELIGIBILITY,
    USER_AUTH,
    ActionContext,
    ActionRegistry,
    ActionResult,
    ask_user,
    register,
    reject,
)

logger = logging.getLogger("demo_site.partner")

#: What the sign-up asks the wallet to collect (SPEC.md §3.2: ``actionPayload.fields``).
SIGNUP_FIELDS: Final = ("phone", "otp")
_PHONE: Final = re.compile(r"\+?[0-9][0-9 ()-]{5,18}[0-9]")


class MerchantCards:
    """The :class:`~linkkit.partner.CardSource`: a card is whatever the merchant's row says now.

    :param card_ids: kind → Wallet card id; a ``card_id`` that does not match the row's kind is
        answered "no such card" (Samsung asked about another card type).
    """

    def __init__(self, db: MerchantDB, catalogue: Catalogue, card_ids: Mapping[str, str]) -> None:
        self.db = db
        self.catalogue = catalogue
        self.card_ids = card_ids

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        card = self.db.by_ref_id(ref_id)
        if card is None or self.card_ids.get(card.kind) != card_id:
            return None
        # Every attribute, always: Samsung's "fields" is a hint that returning the whole card satisfies.
        return self.catalogue.build(card)


def normalise_phone(raw: object) -> str | None:
    """Digits and a leading ``+`` of a plausible phone number, or None."""
    if not isinstance(raw, str) or not _PHONE.fullmatch(raw.strip()):
        return None
    text = raw.strip()
    return ("+" if text.startswith("+") else "") + re.sub(r"[^0-9]", "", text)


def signup_actions(
    db: MerchantDB, catalogue: Catalogue, *, otp: str, clock: Callable[[], float] = time.time
) -> ActionRegistry:
    """The sign-up sequence: ask for phone and one-time code, then register a new Rewards card."""
    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        # linkkit has verified the signedAtwLink (Samsung's signature, age) before we are called.
        return ask_user(
            list(SIGNUP_FIELDS),
            message="Enter your mobile number and the code we texted you to join Northwind Rewards.",
        )

    @actions.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        phone = normalise_phone(ctx.inputs.get("phone"))
        if phone is None:
            return reject("INVALID_PHONE", "Enter a mobile number such as +1 415 555 0100.")
        code = str(ctx.inputs.get("otp", "")).strip()
        if not hmac.compare_digest(code.encode(), otp.encode()):
            # Never log the phone number or the code (personal data, a secret).
            logger.info("sign-up: wrong one-time code [request id %s]", ctx.request_id[:64])
            return reject("AUTH_FAILED", "That code is not right. Check the text message and try again.")
        member = db.issue(
            ref_id=new_ref_id(),
            kind="rewards",
            holder="New member",
            attrs={
                **initial_attrs("rewards", int(clock() * 1000)),
                "points": 100,
                "tier": "Green",
                "phone_hint": phone[-2:],
            },
        )
        logger.info("sign-up: member %s joined", member.number)
        # linkkit mints a fresh Card Data Token for the card (REGISTER with cdata).
        return register(card=catalogue.build(member))

    return actions
