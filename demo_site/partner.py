"""The merchant's side of the Samsung calls: its :class:`~linkkit.partner.CardSource` and its Request
Action handlers (the member sign-up of a Data Action link).

Everything protocol-shaped (token checks, the signedAtwLink, the order of steps, the answer
bodies) is linkkit's; these functions only decide, as a merchant's code would.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from demo_site.catalogue import Catalogue, initial_attrs
from demo_site.merchant_db import MerchantDB
from linkkit._redact import get_logger
from linkkit.atw.links import new_ref_id
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

logger = get_logger("demo_site.partner")

#: What the sign-up asks the wallet to collect (``actionPayload.fields``, docs/partner.md#request-action).
SIGNUP_FIELDS: Final = ("phone", "otp")
_PHONE: Final = re.compile(r"\+?[0-9][0-9 ()-]{5,18}[0-9]")
#: Wrong one-time codes allowed before the sign-up locks: per wallet session (one Request Action
#: sequence) and per phone number (the member the card would be for), so that opening a new
#: session does not buy new guesses. A 6-digit code then falls to a guess 5 times in a million.
MAX_CODE_FAILURES: Final = 5
CODE_LOCK_SECONDS: Final = 15 * 60


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
    db: MerchantDB,
    catalogue: Catalogue,
    *,
    otp: str,
    attempt_key: bytes,
    clock: Callable[[], float] = time.time,
) -> ActionRegistry:
    """The sign-up sequence: ask for phone and one-time code, then register a new Rewards card.

    :param attempt_key: keys the phone numbers in the failed-attempts table (an HMAC), so that
        the table holds no phone number.
    """
    actions = ActionRegistry()

    def subjects(ctx: ActionContext, phone: str | None) -> tuple[str, ...]:
        session = "session:" + hashlib.sha256(f"{ctx.card_id}/{ctx.ref_id}".encode()).hexdigest()
        if phone is None:
            return (session,)
        return (session, "phone:" + hmac.new(attempt_key, phone.encode(), hashlib.sha256).hexdigest())

    def locked(until: float) -> ActionResult:
        minutes = max(1, math.ceil((until - clock()) / 60))
        return reject(
            "AUTH_LOCKED",
            f"Too many wrong codes. To protect your account, sign-up is locked: try again in {minutes} minutes.",
        )

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        # linkkit has verified the signedAtwLink (Samsung's signature, age) before we are called.
        return ask_user(
            list(SIGNUP_FIELDS),
            message="Enter your mobile number and the code we texted you to join Northwind Rewards.",
        )

    @actions.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        until = db.locked_until(subjects(ctx, None))
        if until is not None:
            return locked(until)
        phone = normalise_phone(ctx.inputs.get("phone"))
        if phone is None:
            return reject("INVALID_PHONE", "Enter a mobile number such as +1 415 555 0100.")
        who = subjects(ctx, phone)
        until = db.locked_until(who)
        if until is not None:
            return locked(until)
        code = str(ctx.inputs.get("otp", "")).strip()
        if not hmac.compare_digest(code.encode(), otp.encode()):
            failures, until = db.record_failure(who, limit=MAX_CODE_FAILURES, lock_seconds=CODE_LOCK_SECONDS)
            # Never log the phone number or the code (personal data, a secret).
            logger.info(
                "sign-up: wrong one-time code %d of %d [request id %s]",
                failures,
                MAX_CODE_FAILURES,
                ctx.request_id[:64],
            )
            if until is not None:
                return locked(until)
            left = MAX_CODE_FAILURES - failures
            return reject(
                "AUTH_FAILED",
                f"That code is not right. Check the text message and try again "
                f"({left} {'try' if left == 1 else 'tries'} left).",
            )
        db.clear_failures(who)
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
