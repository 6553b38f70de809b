"""The whole push-provisioning flow (steps 1-18 of Samsung's Save to Pay integration workflow) at the
Python level: the partner's client registers over mutual TLS, the wallet app is simulated by HTTP calls,
the sandbox notifies the partner's endpoint over mutual TLS, the issuer blob travels back to the
wallet."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from linkkit.errors import ApiError
from linkkit.s2p import protocol as p
from linkkit.sandbox.s2p import OUTCOMES, WalletAccount, create_s2p_sandbox

from .conftest import BLOB, S2P_PARTNER_ID, registration


def status_of(welcome_url: str) -> dict[str, Any]:
    answer = httpx.get(f"{welcome_url}/status")
    assert answer.status_code == 200
    return answer.json()


def test_steps_1_to_18(client, wallet, partner, sandbox):
    # 1-2: register; the partner caches regId and gets a welcome URL.
    info = client.register(
        registration(
            email="Wallet.User@example.com", phone="+1(555)0100", welcome_callback_url="https://shop.example/s2p/done"
        ),
        card_ref="card-1",
    )
    assert (info.status, status_of(info.welcome_url)["phase"]) == ("PENDING", "waiting")
    assert status_of(info.welcome_url)["message"] is None
    # 3-4: the welcome UI shows the QR code; the wallet app scans it.
    link = wallet.scan(info.welcome_url)
    assert link == sandbox.engine.wallet_link(sandbox.registrations[0])
    # 5-10: initiate; the device is linked, WA_READY reaches the partner, the blob comes back.
    answer = wallet.link(link)
    assert answer == {"regId": info.id, "issuerBlob": BLOB, "data": None, "emailMatches": True, "phoneMatches": True}
    [ready] = partner.issued
    assert (ready.type, ready.reg_id, ready.user_id, ready.device.id, ready.wallet_id) == (
        "WA_READY",
        info.id,
        "sandbox-user-0001",
        "sandbox-device-0001",
        "sandbox-wallet-0001",
    )
    assert (ready.email_matches, ready.phone_matches, ready.device.country) == (True, True, "US")
    assert client.get_registration(info.id).status == "LINKED"
    linked = status_of(info.welcome_url)
    assert linked["message"] == {"type": "s2p:status", "v": 1, "status": "DEFAULT_PENDING", "final": False}
    # 11-18: tokenization ends; the partner hears WA_PROVISIONED; the page shows the final state.
    wallet.finish(link, "success")
    assert [s.notification.type for s in partner.store.for_registration(info.id)] == ["WA_READY", "WA_PROVISIONED"]
    final = status_of(info.welcome_url)
    assert final["final"] is True and final["message"] == {
        "type": "s2p:status",
        "v": 1,
        "status": "SUCCESS",
        "final": True,
        "redirectUrl": "https://shop.example/s2p/done",
    }
    assert all(d.ok for d in sandbox.notifier.deliveries(info.id))


EXPECTED = {
    # outcome: (event type, event error, page status, page error code)
    "success": ("WA_PROVISIONED", None, "SUCCESS", None),
    "failure": ("WA_PROVISION_FAILURE", None, "FAILURE", "PROVISION_FAILURE"),
    "card_already_present": ("WA_PROVISION_FAILURE", "CARD_ALREADY_PRESENT", "FAILURE", "CARD_ALREADY_PRESENT"),
    "device_not_supported": ("WA_PROVISION_FAILURE", None, "DEVICE_NOT_SUPPORTED", None),
    "timeout": ("WA_PROVISION_FAILURE", None, "FAILURE", "NETWORK_ERROR"),
    "cancel": ("WA_PROVISION_FAILURE", None, "FAILURE", "CANCELED"),
}


@pytest.mark.parametrize("outcome", list(EXPECTED))
def test_each_final_state_reaches_the_partner_as_the_right_notification(client, wallet, partner, outcome):
    info = client.register(registration(), card_ref=f"card-{outcome}")
    link = wallet.scan(info.welcome_url)
    wallet.link(link)
    wallet.finish(link, outcome)
    kind, error, status, code = EXPECTED[outcome]
    last = partner.store.latest(info.id).notification
    assert (last.type, last.error, last.desc) == (kind, error, OUTCOMES[outcome].desc)
    assert (last.user_id, last.device.id, last.wallet_id) == (
        "sandbox-user-0001",
        "sandbox-device-0001",
        "sandbox-wallet-0001",
    )
    assert partner.events[-1] == last
    message = status_of(info.welcome_url)["message"]
    assert (message["status"], message["final"], message.get("details", {}).get("errorCode")) == (status, True, code)


def test_the_session_times_out_on_the_sandbox_clock(client, wallet, partner, sandbox, sandbox_clock):
    info = client.register(registration(), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    wallet.link(link)
    sandbox_clock.now += sandbox.engine.session_timeout - 1
    assert status_of(info.welcome_url)["final"] is False
    sandbox_clock.now += 1
    state = status_of(info.welcome_url)  # the poll notices the deadline
    assert state["message"]["details"]["errorCode"] == "NETWORK_ERROR"
    assert partner.store.latest(info.id).notification.desc == "provisioning session timed out"
    with pytest.raises(ApiError) as err:
        wallet.finish(link, "success")  # too late
    assert err.value.status == 409


def test_email_matching_is_enforced(client, wallet, partner, sandbox):
    info = client.register(registration(email="owner@example.com", enforce_email_matching=True), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    with pytest.raises(ApiError, match="registered email") as err:
        wallet.link(link, WalletAccount(email="someone.else@example.com"))
    assert err.value.status == 403
    # Nobody was linked and the partner heard nothing: the owner can still scan.
    assert partner.store.count() == 0 and client.get_registration(info.id).status == "PENDING"
    assert wallet.link(link, WalletAccount(email="OWNER@example.com"))["emailMatches"] is True
    assert partner.issued[-1].email_matches is True


def test_phone_matching_is_enforced_on_digits(client, wallet, partner):
    info = client.register(registration(phone="+1(555)0100", enforce_phone_matching=True), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    with pytest.raises(ApiError, match="registered number"):
        wallet.link(link, WalletAccount(phone="+15550199"))
    assert wallet.link(link, WalletAccount(phone="1-555-0100"))["phoneMatches"] is True


def test_matches_are_reported_without_enforcement(client, wallet, partner):
    info = client.register(registration(email="owner@example.com"), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    wallet.link(link, WalletAccount(email="other@example.com"))
    ready = partner.issued[-1]
    assert (ready.email_matches, ready.phone_matches) == (False, None)  # no phone was registered
    wallet.finish(link, "success")
    assert partner.store.latest(info.id).notification.email_matches is False


def test_card_data_in_the_registration_makes_the_blob_optional(client, wallet, partner):
    partner.issuer = lambda _n: None
    info = client.register(registration(data={"tokenRequestorId": "40010030273"}), card_ref="card-1")
    answer = wallet.link(wallet.scan(info.welcome_url))
    assert answer["issuerBlob"] is None and answer["data"] == {"tokenRequestorId": "40010030273"}


def test_no_blob_and_no_card_data_fails_provisioning(client, wallet, partner):
    partner.issuer = lambda _n: None
    info = client.register(registration(), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    with pytest.raises(ApiError, match="no card data") as err:
        wallet.link(link)
    assert err.value.status == 502
    assert [s.notification.type for s in partner.store.for_registration(info.id)] == [
        "WA_READY",
        "WA_PROVISION_FAILURE",
    ]
    assert status_of(info.welcome_url)["message"]["details"]["errorCode"] == "PROVISION_FAILURE"


def test_a_partner_that_refuses_fails_provisioning(client, wallet, partner):
    def refuse(_n: Any) -> str:
        raise RuntimeError("issuer down")

    partner.issuer = refuse
    info = client.register(registration(), card_ref="card-1")
    with pytest.raises(ApiError, match="refused"):
        wallet.link(wallet.scan(info.welcome_url))
    assert status_of(info.welcome_url)["message"]["details"]["errorCode"] == "PROVISION_FAILURE"


def test_second_scan_and_out_of_order_calls(client, wallet, partner):
    info = client.register(registration(), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    with pytest.raises(ApiError) as early:
        wallet.finish(link, "success")
    assert early.value.status == 409
    wallet.link(link)
    with pytest.raises(ApiError, match="already linked") as again:
        wallet.link(link)
    assert again.value.status == 409
    with pytest.raises(ApiError) as bad:
        wallet.finish(link, "exploded")
    assert bad.value.status == 400
    with pytest.raises(ApiError) as unknown:
        wallet.link(link.rsplit("/", 1)[0] + "/unknown-token")
    assert unknown.value.status == 404


def _partner_not_served(identity: Any, url: str) -> Any:
    return create_s2p_sandbox(
        identity.files, partner_id=S2P_PARTNER_ID, partner_notification_url=url, notify_sleep=lambda _s: None
    )


@pytest.mark.parametrize("how", ["closed-port", "untrusted-server-certificate"])
def test_an_unreachable_partner_fails_provisioning(identity, client_factory, partner_tls, ledger, wallet, how):
    from linkkit._serving import ServerThread
    from linkkit.clients.s2p import S2PClient
    from linkkit.partner.s2p import create_notifications_app
    from linkkit.tls import server_context

    files = identity.files
    # A partner server with a certificate from Samsung's CA: S2P trusts only the partner's CA for it.
    wrong = server_context(
        certificate=files["s2p-server.crt"], private_key=files["s2p-server.key"], client_ca=files["partner-ca.crt"]
    )
    with ServerThread(create_notifications_app(_dummy_handler()), ssl_context=wrong) as bad_partner:
        url = "https://127.0.0.1:9" if how == "closed-port" else bad_partner.url
        box = _partner_not_served(identity, url)
        with (
            box.serve() as run,
            S2PClient(partner_id=S2P_PARTNER_ID, tls=partner_tls, ledger=ledger, base_url=run.api_url) as client,
        ):
            info = client.register(registration(), card_ref="card-1")
            with pytest.raises(ApiError, match="could not be reached") as err:
                wallet.link(wallet.scan(info.welcome_url))
            assert err.value.status == 502
            assert status_of(info.welcome_url)["message"]["details"] == {
                "errorCode": "NETWORK_ERROR",
                "message": "The card issuer could not be reached.",
            }
            assert [d.ok for d in box.notifier.outbox] == [False, False]
        box.close()


def _dummy_handler() -> Any:
    from linkkit.partner.s2p import NotificationHandler
    from linkkit.partner.s2p_store import NotificationStore

    return NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=lambda _n: BLOB, store=NotificationStore(":memory:"))


def test_outcome_table_uses_samsungs_enums():
    for outcome in OUTCOMES.values():
        assert outcome.event in p.EVENT_TYPES and outcome.status in p.STATUSES
        assert outcome.error_code is None or outcome.error_code in p.ERROR_CODES
        assert outcome.event_error is None or outcome.event_error in p.EVENT_ERRORS[outcome.event]
