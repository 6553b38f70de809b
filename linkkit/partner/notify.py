"""Notify Samsung about changed cards, each through the URL Samsung gave for it.

The calls are Samsung's card lifecycle APIs
(https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html).

Send Card State ``ADDED`` tells the partner where each card lives: its ``callback`` (private domain)
and its country ``cc2`` (public domain). :class:`WalletNotifier` looks both up in the store and
groups the cards of one call by destination, so that a partner never has to::

    notifier = WalletNotifier(WalletClient(signer, endpoints), store)
    report = notifier.update("3glji6d406000", "loyalty", [CardUpdate("ref-42", "UPDATED")])
    report.unknown   # refIds Samsung never confirmed (no ADDED yet): nothing was sent for them
    report.refused   # refIds whose stored callback is off the allow-list: nothing was sent for them

Every stored callback is checked against the allow-list again before anything is sent to it
(:mod:`linkkit.partner.callbacks`): a row stored by an older linkkit, or written into the database by
hand, never receives a partner-signed notification unless it names one of Samsung's hosts. A refused
row is reported and skipped; the other cards of the call are still sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from linkkit._redact import get_logger
from linkkit._urls import URLAllowList
from linkkit.clients.wallet import Accepted, CardUpdate, WalletClient
from linkkit.errors import ApiError, UnsafeURLError
from linkkit.observability.telemetry import NOTIFIER_FAILURES, NOTIFIER_SENDS, Telemetry
from linkkit.partner.callbacks import check_callback, default_callback_allow_list
from linkkit.partner.stores.contract import Store

logger = get_logger("linkkit.partner.notify")


@dataclass(frozen=True, slots=True)
class RefusedCard:
    """A card nothing was sent for, because its stored destination is not allowed."""

    ref_id: str
    #: ``"callback_not_allowed"`` (well-formed, off the allow-list) or ``"invalid_callback"`` (malformed).
    code: str
    #: What was wrong, naming the field, never the stored value.
    message: str


@dataclass(frozen=True, slots=True)
class NotifyReport:
    """What :meth:`WalletNotifier.update` did: one answer per destination, and the cards it skipped."""

    accepted: tuple[Accepted, ...]
    #: refIds with no known destination (never added, or deleted): not sent.
    unknown: tuple[str, ...]
    #: cards whose stored callback is malformed or off the allow-list: not sent.
    refused: tuple[RefusedCard, ...] = ()


class WalletNotifier:
    """Update Notifications routed by the callback and country each card was added with.

    :param callback_allow_list: where a stored callback may point; default: Samsung's hosts
        (``*.walletsvc.samsung.com``) plus the server API of ``client.endpoints``. Give the partner
        endpoints' list (``PartnerConfig.callbacks``) when it was configured.

    Each call to Samsung is counted (``linkkit.notifier.sends``, and ``linkkit.notifier.failures`` by
    code) in ``telemetry`` (default: OpenTelemetry's global providers, when installed).
    """

    def __init__(
        self,
        client: WalletClient,
        store: Store,
        *,
        callback_allow_list: URLAllowList | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.callbacks = callback_allow_list or default_callback_allow_list(client.endpoints)
        self._telemetry = telemetry or Telemetry.default()

    def update(self, card_id: str, card_type: str, updates: Iterable[CardUpdate]) -> NotifyReport:
        """Send ``updates`` (grouped by destination); cards Samsung never confirmed, and cards whose
        stored callback is not allowed, are skipped and reported."""
        groups: dict[tuple[str | None, str], list[CardUpdate]] = {}
        unknown: list[str] = []
        refused: list[RefusedCard] = []
        for update in updates:
            # a migrated card is known to Samsung by its old refId
            known_as = update.old_ref_id if update.state == "MIGRATED" and update.old_ref_id else update.ref_id
            status = self.store.card_status(card_id, known_as)
            if status is None or status.event == "DELETED":
                unknown.append(update.ref_id)
                continue
            callback = status.callback
            if callback is not None:
                try:
                    callback = check_callback(self.callbacks, callback)
                except UnsafeURLError as exc:
                    code = "callback_not_allowed" if exc.code == "not_allowed" else "invalid_callback"
                    logger.warning("update notification: stored callback refused (%s) [card %s]", exc.code, card_id)
                    refused.append(RefusedCard(update.ref_id, code, exc.message))
                    continue
            groups.setdefault((callback, status.cc2), []).append(update)
        accepted = tuple(
            self._send(card_id, card_type, entries, cc2, callback) for (callback, cc2), entries in groups.items()
        )
        return NotifyReport(accepted=accepted, unknown=tuple(unknown), refused=tuple(refused))

    def _send(
        self, card_id: str, card_type: str, entries: list[CardUpdate], cc2: str, callback: str | None
    ) -> Accepted:
        telemetry = self._telemetry
        try:
            answer = self.client.update_notification(card_id, card_type, entries, cc2=cc2, callback=callback)
        except ApiError as exc:
            if telemetry.enabled:
                telemetry.count(NOTIFIER_SENDS, {"linkkit.outcome": "failed"})
                telemetry.count(NOTIFIER_FAILURES, {"linkkit.code": str(exc.status) if exc.status else "transport"})
            raise
        if telemetry.enabled:
            telemetry.count(NOTIFIER_SENDS, {"linkkit.outcome": "accepted"})
        return answer
