"""What the server API does to the simulated wallet: updates, batch updates, cancels, reference ids.

After a state change Samsung asks the partner for the card again (Get Card Data; Samsung: "when Update
Notification is called, Samsung server calls partners' server to look up the updated contents",
https://developer.samsung.com/wallet/ManageCardLifecycle/CardLifecycleAPIs.html); the sandbox does it at
once, before answering, so tests see the result immediately.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from linkkit.cards import CardState
from linkkit.errors import SandboxRefusal
from linkkit.sandbox.partner_calls import PartnerCaller
from linkkit.sandbox.state import SandboxState, WalletCard

#: States after which the card's content is not fetched again.
_NO_REFRESH: Final = frozenset({CardState.DELETED, CardState.MIGRATED, CardState.CANCELED})


class WalletOps:
    """State changes the partner asks for, applied to one sandbox's wallet."""

    def __init__(self, state: SandboxState, caller: PartnerCaller) -> None:
        self.state = state
        self.caller = caller

    def _live(self, card_id: str, ref_id: object) -> WalletCard | None:
        card = self.state.cards.get((card_id, ref_id)) if isinstance(ref_id, str) else None
        return card if card is not None and card.state != CardState.DELETED else None

    def refresh(self, card: WalletCard, fields: str | None = None) -> None:
        """Get Card Data for ``card``; keep the new content, or note why it could not be had."""
        try:
            fresh, _warnings = self.caller.get_card_data(card.card_id, card.ref_id, fields=fields)
        except SandboxRefusal as exc:
            card.extra["lastRefresh"] = exc.to_json()
            return
        entry = next(e for e in fresh["card"]["data"] if e.get("refId") == card.ref_id)
        with self.state.locked():
            card.entry = dict(entry)
            if isinstance(entry.get("state"), str):
                card.state = entry["state"]
            card.extra["lastRefresh"] = {"code": "ok", "fields": fields}

    def _change(self, card: WalletCard, state: str, **note: Any) -> None:
        self.state.set_state(card, state, **{k: v for k, v in note.items() if v is not None})
        if state not in _NO_REFRESH:
            self.refresh(card, note.get("fields"))

    def update(self, card_id: str, entries: list[dict[str, Any]]) -> int:
        """Update Notification; returns how many cards it found (0 → the caller answers 204)."""
        found = 0
        for entry in entries:
            state = entry["state"]
            if state == CardState.MIGRATED:
                old = self._live(card_id, entry.get("oldRefId"))
                if old is None:
                    continue
                found += 1
                old.extra["migratedTo"] = {"refId": entry["refId"], "atwLink": entry["atwLink"]}
                self._change(old, state, newRefId=entry["refId"])
                continue
            card = self._live(card_id, entry["refId"])
            if card is not None:
                found += 1
                self._change(card, state, fields=entry.get("fields"))
        return found

    def _by_event(self, card_id: str, event_id: str) -> list[WalletCard]:
        return self.state.find_cards(
            card_id, lambda c: c.state != CardState.DELETED and c.attribute("eventId") == event_id
        )

    def batch_update(self, card_id: str, entries: list[dict[str, Any]]) -> int:
        """Batch Update: every live card whose ``eventId`` attribute matches."""
        found = 0
        for entry in entries:
            for card in self._by_event(card_id, entry["eventId"]):
                found += 1
                self._change(card, entry.get("state", CardState.UPDATED), eventId=entry["eventId"])
        return found

    def cancel(self, card_id: str, card_type: str, entries: list[dict[str, Any]]) -> int:
        """Cancel Notification: match by refId, else eventId (tickets), else vehicle and start date."""
        found = 0
        for entry in entries:
            if "refId" in entry:
                single = self._live(card_id, entry["refId"])
                cards = [single] if single is not None else []
            elif "eventId" in entry:
                cards = self._by_event(card_id, entry["eventId"])
            else:
                wanted = (card_type, entry.get("vehicleNumber"), entry.get("estimatedOrActualStartDate"))
                cards = self.state.find_cards(
                    card_id,
                    lambda c, w=wanted: (
                        c.state != CardState.DELETED  # type: ignore[misc]
                        and (c.card_type, c.attribute("vehicleNumber"), c.attribute("estimatedOrActualStartDate")) == w
                    ),
                )
            for card in cards:
                found += 1
                self._change(card, entry["state"], reason="cancel")
        return found

    def reference_ids(self, card_id: str, query: Mapping[str, str]) -> list[str]:
        """Get Reference Ids: the refIds of live cards of ``type`` whose ``eventId`` matches."""
        cards = self.state.find_cards(
            card_id,
            lambda c: (
                c.state != CardState.DELETED
                and c.card_type == query["type"]
                and c.attribute("eventId") == query["eventId"]
            ),
        )
        return sorted(c.ref_id for c in cards)
