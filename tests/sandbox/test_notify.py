"""WalletNotifier: Update Notifications routed by each card's Send Card State callback, to the sandbox."""

from __future__ import annotations

import copy

from linkkit.clients.wallet import CardUpdate, WalletClient
from linkkit.links import fetch_link
from linkkit.partner import WalletNotifier
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.sandbox.conftest import Partner


def test_updates_go_to_each_cards_callback(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    for ref in ("ref-1", "ref-2"):
        session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, ref, base=linkkit_sandbox.url))
        linkkit_sandbox.add(session)
    changed = copy.deepcopy(partner.cards.cards[(CARD_ID, "ref-2")])
    changed["card"]["data"][0]["attributes"]["title"] = "Silver Member"
    partner.cards.cards[(CARD_ID, "ref-2")] = changed
    # the default base URL is wrong on purpose: only the callbacks from ADDED can reach the sandbox
    # (they are on the partner endpoints' allow-list, which the notifier is given)
    with WalletClient(partner.signer, linkkit_sandbox.endpoints.sandbox("http://127.0.0.1:9")) as client:
        notifier = WalletNotifier(client, partner.store, callback_allow_list=partner.server.config.callbacks)
        report = notifier.update(
            CARD_ID,
            "loyalty",
            [CardUpdate("ref-1", "EXPIRED"), CardUpdate("ref-2", "UPDATED"), CardUpdate("never-added", "UPDATED")],
        )
    assert [a.status for a in report.accepted] == [200] and report.unknown == ("never-added",)
    cards = {c["refId"]: c for c in linkkit_sandbox.cards()}
    assert cards["ref-1"]["state"] == "EXPIRED"
    assert cards["ref-2"]["data"]["attributes"]["title"] == "Silver Member"
    [call] = linkkit_sandbox.calls(api="update_notification")
    assert call["path"] == f"/wltex/cards/{CARD_ID}/updates"  # the callback form, without a country


def test_a_busy_partner_shows_on_the_landing(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    from typing import Any

    from linkkit.errors import ServiceUnavailableError

    def busy(*args: Any) -> Any:
        raise ServiceUnavailableError("busy", retry_after=2)

    partner.cards.get_card = busy  # type: ignore[method-assign]
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url))
    assert session["error"] == {
        "code": "partner_unavailable",
        "message": "Get Card Data answered HTTP 503, Retry-After: 2",
    }
