"""The sandbox S2P server's behaviour: registrations, and the wallet session of Samsung's Save to Pay
integration workflow (https://developer.samsung.com/pay/save2pay/api-introduction.html).

======  ==========================================================================================
Steps   What happens here
======  ==========================================================================================
1-2     :meth:`S2PEngine.register` stores a registration (``PENDING``) and makes its welcome URL
3       the welcome page shows the QR code of :meth:`S2PEngine.wallet_link`
4-6     the wallet app opens that link and calls :meth:`S2PEngine.initiate`: the device is linked
        (``LINKED``), matching rules are applied, and ``WA_READY`` goes to the partner
7-10    the partner's answer carries ``card.data.encryptedData``, handed back to the wallet
11-18   the wallet reports how tokenization ended (:meth:`S2PEngine.complete`); the partner gets
        ``WA_PROVISIONED`` or ``WA_PROVISION_FAILURE``, and the welcome page its final status
======  ==========================================================================================

Each final outcome (:data:`OUTCOMES`) pairs the notification the partner receives with the
``s2p:status`` the welcome page posts (``docs/welcome-protocol.md``), so that every result of the shim's promise
can be produced on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from linkkit.errors import WalletRefusal as WalletRefusal
from linkkit.s2p import protocol as p
from linkkit.s2p.models import DeviceInfo, Notification
from linkkit.sandbox.s2p.notifier import Notifier
from linkkit.sandbox.s2p.state import RegistrationBook, SandboxRegistration, WalletAccount


@dataclass(frozen=True, slots=True)
class Outcome:
    """A final state: the notification to the partner, and the welcome page's status."""

    event: str
    event_error: str | None
    desc: str
    status: str
    error_code: str | None
    text: str


#: Every way a provisioning session can end (the keys are what the wallet app reports).
OUTCOMES: Final[dict[str, Outcome]] = {
    "success": Outcome(
        p.WA_PROVISIONED, None, "card provisioned", p.SUCCESS, None, "Your card was added to Samsung Wallet."
    ),
    "failure": Outcome(
        p.WA_PROVISION_FAILURE,
        None,
        "provisioning failed",
        p.FAILURE,
        p.PROVISION_FAILURE,
        "The card could not be added.",
    ),
    "card_already_present": Outcome(
        p.WA_PROVISION_FAILURE,
        p.CARD_ALREADY_PRESENT,
        "card already present",
        p.FAILURE,
        p.CARD_ALREADY_PRESENT,
        "This card is already in Samsung Wallet.",
    ),
    "device_not_supported": Outcome(
        p.WA_PROVISION_FAILURE,
        None,
        "device not supported",
        p.DEVICE_NOT_SUPPORTED,
        None,
        "This device does not support Samsung Pay cards.",
    ),
    # A session that ran out of time reads as a network failure to the page, as the shim's own
    # timeout does (js/spay-s2p.js).
    "timeout": Outcome(
        p.WA_PROVISION_FAILURE,
        None,
        "provisioning session timed out",
        p.FAILURE,
        p.NETWORK_ERROR,
        "The session timed out.",
    ),
    "cancel": Outcome(
        p.WA_PROVISION_FAILURE, None, "user canceled", p.FAILURE, p.CANCELED, "You canceled adding the card."
    ),
    # Not chosen by the wallet: the partner could not be reached, or sent no card data.
    "partner_unreachable": Outcome(
        p.WA_PROVISION_FAILURE,
        None,
        "partner notification failed",
        p.FAILURE,
        p.NETWORK_ERROR,
        "The card issuer could not be reached.",
    ),
    "partner_refused": Outcome(
        p.WA_PROVISION_FAILURE,
        None,
        "partner notification refused",
        p.FAILURE,
        p.PROVISION_FAILURE,
        "The card issuer refused the request.",
    ),
    "no_card_data": Outcome(
        p.WA_PROVISION_FAILURE,
        None,
        "partner sent no card data",
        p.FAILURE,
        p.PROVISION_FAILURE,
        "The card issuer sent no card data.",
    ),
}
#: Outcomes the wallet app may report.
WALLET_OUTCOMES: Final = ("success", "failure", "card_already_present", "device_not_supported", "timeout", "cancel")


@dataclass(frozen=True, slots=True)
class InitiateResult:
    """What the wallet app receives after linking (step 10)."""

    reg_id: str
    issuer_blob: str | None
    data: dict[str, Any] | None
    email_matches: bool | None
    phone_matches: bool | None


def same_email(a: str, b: str | None) -> bool:
    """Email addresses compared without case (what mail systems in practice do)."""
    return b is not None and a.strip().casefold() == b.strip().casefold()


def same_phone(a: str, b: str | None) -> bool:
    """Phone numbers compared by their digits only (``+1 (555) 0100`` = ``15550100``)."""
    return b is not None and [c for c in a if c.isdigit()] == [c for c in b if c.isdigit()]


class S2PEngine:
    """The S2P server's state machine, shared by the API app and the welcome/wallet app.

    :param welcome_base: the public base URL of the welcome/wallet app (set once it is served).
    """

    def __init__(
        self,
        *,
        notifier: Notifier,
        clock: Callable[[], float],
        welcome_ttl: float,
        session_timeout: float,
        welcome_base: str = "",
    ) -> None:
        self.book = RegistrationBook()
        self.notifier = notifier
        self.clock = clock
        self.welcome_ttl = welcome_ttl
        self.session_timeout = session_timeout
        self.welcome_base = welcome_base.rstrip("/")

    # -- URLs --------------------------------------------------------------------------------------

    def welcome_url(self, reg: SandboxRegistration) -> str:
        return f"{self.welcome_base}/v1/welcome/{reg.welcome_token}"

    def wallet_link(self, reg: SandboxRegistration) -> str:
        """What the QR code holds: the link the wallet app opens (step 4)."""
        return f"{self.welcome_base}/v1/wallet/{reg.scan_token}"

    # -- registrations API -------------------------------------------------------------------------

    def register(self, partner_id: str, body: dict[str, Any]) -> SandboxRegistration:
        return self.book.create(partner_id, body, now=self.clock(), welcome_ttl=self.welcome_ttl)

    def lookup(self, partner_id: str, reg_id: str) -> SandboxRegistration | None:
        """The partner's registration with a valid welcome URL (renewed when expired), or None."""
        reg = self.book.get(reg_id)
        if reg is None or reg.partner_id != partner_id:
            return None
        self.book.renew_welcome(reg, now=self.clock(), welcome_ttl=self.welcome_ttl)
        return reg

    # -- wallet session ----------------------------------------------------------------------------

    def initiate(self, scan_token: str, account: WalletAccount) -> InitiateResult:
        """Steps 5-10: link the wallet, tell the partner (``WA_READY``), return the issuer blob.

        :raises WalletRefusal: unknown link (404), session not waiting (409), matching enforced and
            failed (403: the registration stays ``PENDING`` for the right account to scan).
        """
        book = self.book
        with book.lock:
            reg = self._session(scan_token)
            if reg.phase != "waiting":
                raise WalletRefusal("this registration is already linked to a wallet", status=409)
            reg_body = reg.body
            email_matches = same_email(reg_body["email"], account.email) if reg_body.get("email") else None
            phone_matches = same_phone(reg_body["phone"], account.phone) if reg_body.get("phone") else None
            if reg_body.get("enforceEmailMatching") and not email_matches:
                raise WalletRefusal("this card can only be added by the account with the registered email", status=403)
            if reg_body.get("enforcePhoneMatching") and not phone_matches:
                raise WalletRefusal("this card can only be added on a phone with the registered number", status=403)
            now = self.clock()
            reg.phase, reg.status, reg.account = "linking", p.LINKED, account
            reg.linked_at, reg.deadline = now, now + self.session_timeout
            reg.publish(
                p.status_message(p.DEFAULT_PENDING, final=False), "Linked to Samsung Wallet. Continue on your phone."
            )
        ready = self._notification(reg, p.WA_READY, None, None, email_matches, phone_matches)
        delivery = self.notifier.send(ready)
        if not delivery.ok:
            unreachable = delivery.status in (0, 503)
            self._finish(reg, "partner_unreachable" if unreachable else "partner_refused")
            raise WalletRefusal(
                "the card issuer could not be reached" if unreachable else "the card issuer refused the request",
                status=502,
            )
        if delivery.encrypted_data is None and reg_body.get("data") is None:
            # Samsung: encryptedData is "Required if card data was not provided in the registration request".
            self._finish(reg, "no_card_data")
            raise WalletRefusal("the card issuer sent no card data", status=502)
        with book.lock:
            reg.issuer_blob, reg.phase = delivery.encrypted_data, "linked"
        return InitiateResult(reg.id, delivery.encrypted_data, reg_body.get("data"), email_matches, phone_matches)

    def complete(self, scan_token: str, outcome: str) -> SandboxRegistration:
        """Steps 17-18: the wallet reports how the session ended; the partner is told.

        :raises WalletRefusal: unknown link (404), no linked session (409), unknown outcome (400).
        """
        if outcome not in WALLET_OUTCOMES:
            raise WalletRefusal("outcome must be one of " + ", ".join(WALLET_OUTCOMES), status=400)
        with self.book.lock:
            reg = self._session(scan_token)
            if reg.phase != "linked":
                raise WalletRefusal("no provisioning session is in progress for this link", status=409)
        self._finish(reg, outcome)
        return reg

    def refresh(self, reg: SandboxRegistration) -> None:
        """Apply the session timeout when it is due (checked whenever the welcome page polls)."""
        with self.book.lock:
            due = reg.phase == "linked" and reg.deadline is not None and self.clock() >= reg.deadline
        if due:
            self._finish(reg, "timeout")

    # -- internals ---------------------------------------------------------------------------------

    def _session(self, scan_token: str) -> SandboxRegistration:
        reg = self.book.by_scan_token(scan_token)
        if reg is None:
            raise WalletRefusal("unknown link", status=404)
        return reg

    def _finish(self, reg: SandboxRegistration, name: str) -> None:
        outcome = OUTCOMES[name]
        with self.book.lock:
            if reg.phase in ("finishing", "final"):
                return
            reg.phase = "finishing"
        # The partner hears first (step 18), then the page shows the final state: by the time the
        # shim's promise settles, the partner's notification endpoint has the event.
        event = self._notification(
            reg,
            outcome.event,
            outcome.event_error,
            outcome.desc,
            self._matches(reg, "email"),
            self._matches(reg, "phone"),
        )
        self.notifier.send(event)
        redirect = reg.body.get("welcomeCallbackUrl")
        message = p.status_message(
            outcome.status,
            final=True,
            error_code=outcome.error_code,
            message=outcome.text if outcome.error_code else None,
            redirect_url=redirect,
        )
        with self.book.lock:
            reg.phase, reg.outcome = "final", name
            reg.publish(message, outcome.text)

    def _matches(self, reg: SandboxRegistration, what: str) -> bool | None:
        account, value = reg.account, reg.body.get(what)
        if not value or account is None:
            return None
        return same_email(value, account.email) if what == "email" else same_phone(value, account.phone)

    @staticmethod
    def _notification(
        reg: SandboxRegistration,
        event: str,
        error: str | None,
        desc: str | None,
        email_matches: bool | None,
        phone_matches: bool | None,
    ) -> Notification:
        account = reg.account
        return Notification(
            reg_id=reg.id,
            type=event,
            error=error,
            desc=desc,
            user_id=account.user_id if account else None,
            email_matches=email_matches,
            phone_matches=phone_matches,
            device=DeviceInfo(
                id=account.device_id,
                imei_last4=account.imei_last4,
                serial_last4=account.serial_last4,
                country=account.country,
            )
            if account
            else None,
            wallet_id=account.wallet_id if account else None,
        )
