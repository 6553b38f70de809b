"""Samsung's server API on the sandbox, called by the real WalletClient, with the partner answering."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from linkkit.clients import RetryPolicy
from linkkit.clients.wallet import BatchUpdate, Cancellation, CardUpdate, WalletClient
from linkkit.errors import BadRequestError, NotFoundError, ServerError, ServiceUnavailableError, UnauthorizedError
from linkkit.links import fetch_link
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.partner.conftest import card_for
from tests.sandbox.conftest import Partner

TEMPLATE = {
    "templateRefId": "123456781864545365",
    "title": "Coupon",
    "countryCode": "KR",
    "cardType": "coupon",
    "subType": "others",
    "noNetworkSupportYn": "N",
    "shareButtonExposureYN": "Y",
}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(linkkit_sandbox: SandboxHandle, sleeps: list[float]) -> Iterator[WalletClient]:
    with WalletClient(
        linkkit_sandbox.partner_signer(),
        linkkit_sandbox.endpoints,
        sleep=sleeps.append,
        retry=RetryPolicy(attempts=3, backoff=0.01),
    ) as wallet:
        yield wallet


def _add_via_link(sandbox: SandboxHandle, ref_id: str) -> None:
    session = sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, ref_id, base=sandbox.url))
    assert sandbox.add(session)["step"] == "added"


def _card(sandbox: SandboxHandle, ref_id: str) -> dict[str, Any]:
    return next(c for c in sandbox.cards() if c["refId"] == ref_id)


# -- templates ------------------------------------------------------------------------------------


def test_create_and_update_a_template(client: WalletClient, linkkit_sandbox: SandboxHandle) -> None:
    created = client.create_template(TEMPLATE, cc2="kr")
    assert created.result_code == "0" and created.result_message == "SUCCESS"
    assert len(created.card_id) == 13 and len(created.request_id) == 32
    [template] = linkkit_sandbox.wallet()["templates"]
    assert template["cardId"] == created.card_id and template["state"] == "DRAFT"
    assert template["prtnrId"] == linkkit_sandbox.identity.partner_id
    updated = client.update_template(
        created.card_id, {"templateRefId": TEMPLATE["templateRefId"], "title": "Coupon v2", "state": "VERIFYING"}
    )
    assert updated.card_id == created.card_id
    [template] = linkkit_sandbox.wallet()["templates"]
    assert (template["title"], template["state"]) == ("Coupon v2", "VERIFYING")
    with pytest.raises(BadRequestError) as info:  # VERIFYING → VERIFYING is not a move from DRAFT
        client.update_template(created.card_id, {"templateRefId": "1", "state": "VERIFYING"})
    assert info.value.code == "invalid_body" and "cardTemplate.state" in str(info.value)
    with pytest.raises(BadRequestError, match="testingModeOff"):
        client.update_template(created.card_id, {"templateRefId": "1", "testingModeOff": "Y"})
    approved = linkkit_sandbox.http.post(f"/_sandbox/templates/{created.card_id}/state", json={"state": "ACTIVE"})
    assert approved.json()["state"] == "ACTIVE"
    client.update_template(created.card_id, {"templateRefId": "1", "testingModeOff": "Y"})
    assert linkkit_sandbox.wallet()["templates"][0]["testingMode"] == "OFF"


def test_samsungs_example_form_of_a_template_update(client: WalletClient, linkkit_sandbox: SandboxHandle) -> None:
    card_id = client.create_template(TEMPLATE).card_id
    signer = linkkit_sandbox.partner_signer()
    path = "/partner/v1/card/template"
    payload = {"cardTemplate": {"prtnrId": signer.partner_id, "cardId": card_id, "templateRefId": "1", "title": "T"}}
    response = linkkit_sandbox.http.post(
        f"{path}?cardId={card_id}",
        json={"ctemplate": signer.card_data_token(payload)},
        headers={
            "Authorization": signer.authorization_header("POST", path),
            "x-smcs-partner-id": signer.partner_id,
            "x-request-id": "req-202303140003",
            "x-request-cc2": "KR",
        },
    )
    assert response.status_code == 200 and response.json()["cardId"] == card_id


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"cardType": "spaceship"}, "cardTemplate.cardType"),
        ({"subType": "movies"}, "cardTemplate.subType"),
        ({"title": "x" * 33}, "cardTemplate.title"),
        ({"countryCode": "kr"}, "cardTemplate.countryCode"),
        ({"templateRefId": "12345678901234567890"}, "cardTemplate.templateRefId"),
        ({"noNetworkSupportYn": "yes"}, "cardTemplate.noNetworkSupportYn"),
        ({"category": "parking"}, "cardTemplate.category"),
        ({"prtnrCardData": "ftp://x"}, "cardTemplate.prtnrCardData"),
        ({"state": "ACTIVE"}, "cardTemplate.state"),
        ({"colour": "red"}, "cardTemplate.colour"),
        ({"prtnrId": "4000000000000000001"}, "cardTemplate.prtnrId"),
    ],
)
def test_template_validation(client: WalletClient, change: dict[str, str], path: str) -> None:
    with pytest.raises(BadRequestError) as info:
        client.create_template({**TEMPLATE, **change})
    assert info.value.status == 400 and path in str(info.value)


def test_a_template_names_the_partner_urls_per_card(
    client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    linkkit_sandbox.set_partner_url("http://127.0.0.1:9")  # the default is wrong, the template is right
    card_id = client.create_template({**TEMPLATE, "prtnrCardData": partner.url}).card_id
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, card_id, "ref-1", base=linkkit_sandbox.url))
    call = linkkit_sandbox.calls(api="get_card_data")[-1]
    # the call reached the partner (which serves CARD_ID only, so it answers 404)
    assert call["status"] == 404 and session["step"] == "error"


# -- add a card to an account ---------------------------------------------------------------------


def test_add_card_to_an_account(
    client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]
) -> None:
    accepted = client.add_card(
        CARD_ID, card_for(loyalty_card, "ref-srv"), account={"type": "phoneNumber", "value": "+821012345678"}, cc2="KR"
    )
    assert accepted.status == 200 and accepted.card_exists
    card = _card(linkkit_sandbox, "ref-srv")
    assert card["source"] == "server" and card["account"] == {"type": "phoneNumber", "value": "+821012345678"}
    status = partner.store.card_status(CARD_ID, "ref-srv")
    assert status is not None and status.event == "ADDED" and status.callback == linkkit_sandbox.url


def test_add_card_needs_an_account_or_a_known_card(
    client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]
) -> None:
    with pytest.raises(BadRequestError, match="account"):
        client.add_card(CARD_ID, card_for(loyalty_card, "ref-new"))
    _add_via_link(linkkit_sandbox, "ref-1")
    assert client.add_card(CARD_ID, card_for(loyalty_card, "ref-1")).status == 200


def test_add_card_refuses_invalid_cards_and_accounts(client: WalletClient, loyalty_card: dict[str, Any]) -> None:
    card = card_for(loyalty_card, "ref-a")
    with pytest.raises(BadRequestError, match="account.type"):
        client.add_card(CARD_ID, card, account={"type": "pigeon", "value": "x"})
    del card["card"]["data"][0]["attributes"]["title"]
    with pytest.raises(BadRequestError, match="title"):
        client.add_card(CARD_ID, card, account={"type": "email", "value": "a@example.com"})


# -- notifications ---------------------------------------------------------------------------------


def test_update_notification_refreshes_the_card_from_the_partner(
    client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    _add_via_link(linkkit_sandbox, "ref-1")
    changed = copy.deepcopy(partner.cards.cards[(CARD_ID, "ref-1")])
    changed["card"]["data"][0]["attributes"]["title"] = "Platinum Member"
    partner.cards.cards[(CARD_ID, "ref-1")] = changed
    accepted = client.update_notification(
        CARD_ID, "loyalty", [CardUpdate("ref-1", "UPDATED", fields="title")], cc2="US"
    )
    assert accepted.status == 200
    card = _card(linkkit_sandbox, "ref-1")
    assert card["data"]["attributes"]["title"] == "Platinum Member"
    assert card["lastRefresh"] == {"code": "ok", "fields": "title"}
    assert partner.cards.asked[-1] == (CARD_ID, "ref-1", ("title",))


def test_update_notification_through_the_callback_url(
    client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    _add_via_link(linkkit_sandbox, "ref-1")
    status = partner.store.card_status(CARD_ID, "ref-1")
    assert status is not None and status.callback is not None
    accepted = client.update_notification(
        CARD_ID, "loyalty", [{"refId": "ref-1", "state": "EXPIRED"}], callback=status.callback
    )
    assert accepted.status == 200
    assert _card(linkkit_sandbox, "ref-1")["state"] == "EXPIRED"
    assert linkkit_sandbox.calls(api="update_notification")[-1]["path"] == f"/wltex/cards/{CARD_ID}/updates"


def test_update_notification_for_unknown_cards_is_204(client: WalletClient, linkkit_sandbox: SandboxHandle) -> None:
    accepted = client.update_notification(CARD_ID, "loyalty", [CardUpdate("nobody", "UPDATED")], cc2="US")
    assert accepted.status == 204 and not accepted.card_exists


def test_delete_and_migrate(client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    _add_via_link(linkkit_sandbox, "ref-1")
    _add_via_link(linkkit_sandbox, "ref-2")
    client.update_notification(CARD_ID, "loyalty", [CardUpdate("ref-1", "DELETED")], cc2="US")
    assert _card(linkkit_sandbox, "ref-1")["state"] == "DELETED"
    link = fetch_link(CERTIFICATE_ID, CARD_ID, "ref-new", base=linkkit_sandbox.url)
    client.update_notification(
        CARD_ID, "loyalty", [CardUpdate("ref-new", "MIGRATED", old_ref_id="ref-2", atw_link=link)], cc2="US"
    )
    migrated = _card(linkkit_sandbox, "ref-2")
    assert migrated["state"] == "MIGRATED" and migrated["migratedTo"] == {"refId": "ref-new", "atwLink": link}
    # a deleted card is not found again
    assert client.update_notification(CARD_ID, "loyalty", [CardUpdate("ref-1", "UPDATED")], cc2="US").status == 204


def test_a_failed_refresh_is_recorded(client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    _add_via_link(linkkit_sandbox, "ref-1")
    del partner.cards.cards[(CARD_ID, "ref-1")]
    client.update_notification(CARD_ID, "loyalty", [CardUpdate("ref-1", "UPDATED")], cc2="US")
    assert _card(linkkit_sandbox, "ref-1")["lastRefresh"]["code"] == "card_not_found"


def test_batch_update_and_reference_ids_by_event(
    client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    for ref in ("tk-1", "tk-2"):
        _add_via_link(linkkit_sandbox, ref)
    ids = client.get_reference_ids(CARD_ID, event_id="event-9", card_type="ticket", cc2="US")
    assert (ids.count, ids.ref_ids) == (2, ("tk-1", "tk-2"))
    accepted = client.batch_update_notification(CARD_ID, "ticket", [BatchUpdate("event-9", "UPDATED")], cc2="US")
    assert accepted.status == 200
    assert {c["refId"]: c["state"] for c in linkkit_sandbox.cards()} == {"tk-1": "UPDATED", "tk-2": "UPDATED"}
    assert client.batch_update_notification(CARD_ID, "ticket", [BatchUpdate("event-0")], cc2="US").status == 204
    none = client.get_reference_ids(CARD_ID, event_id="event-0", card_type="ticket", cc2="US")
    assert (none.count, none.ref_ids) == (0, ())


def test_cancel_notification(client: WalletClient, linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    for ref in ("tk-1", "tk-2", "ref-1"):
        _add_via_link(linkkit_sandbox, ref)
    assert client.cancel_notification(CARD_ID, "ticket", [Cancellation(event_id="event-9")], cc2="US").status == 200
    assert client.cancel_notification(CARD_ID, "loyalty", [Cancellation(ref_id="ref-1")], cc2="US").status == 200
    assert {c["refId"]: c["state"] for c in linkkit_sandbox.cards()} == {
        "tk-1": "CANCELED",
        "tk-2": "CANCELED",
        "ref-1": "CANCELED",
    }
    assert client.cancel_notification(CARD_ID, "ticket", [Cancellation(event_id="nope")], cc2="US").status == 204


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.batch_update_notification(CARD_ID, "ticket", [{"state": "UPDATED"}], cc2="US"), "eventId"),
        (lambda c: c.cancel_notification(CARD_ID, "ticket", [{"state": "CANCELED"}], cc2="US"), "eventId"),
        (
            lambda c: c.cancel_notification(CARD_ID, "boardingpass", [Cancellation(vehicle_number="KE1")], cc2="US"),
            "estimatedOrActualStartDate",
        ),
        (lambda c: c.cancel_notification(CARD_ID, "ticket", [{"eventId": "e"}], cc2="US"), "state"),
        (lambda c: c.batch_update_notification(CARD_ID, "nope", [BatchUpdate("e")], cc2="US"), "card.type"),
        (lambda c: c.get_reference_ids(CARD_ID, event_id="e" * 33, card_type="ticket", cc2="US"), "eventId"),
        (lambda c: c.get_reference_ids(CARD_ID, event_id="e", card_type="bus", cc2="US"), "type"),
    ],
)
def test_the_sandbox_refuses_bad_bodies(client: WalletClient, call: Any, message: str) -> None:
    with pytest.raises(BadRequestError, match=message):
        call(client)


def test_an_unknown_card_id_is_404(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    from linkkit._serving import ServerThread
    from linkkit.sandbox import SandboxConfig, create_app

    config = SandboxConfig.from_identity(dict(linkkit_sandbox.identity.files))
    with (
        ServerThread(create_app(config)) as server,
        WalletClient(linkkit_sandbox.partner_signer(), linkkit_sandbox.endpoints.sandbox(server.url)) as wallet,
    ):
        with pytest.raises(NotFoundError):
            wallet.update_notification("3000000000000000009", "loyalty", [CardUpdate("r", "UPDATED")], cc2="US")


# -- authorization ---------------------------------------------------------------------------------


def _raw(
    sandbox: SandboxHandle,
    *,
    method: str = "POST",
    path: str | None = None,
    token_path: str | None = None,
    partner_id: str | None = None,
    signer: Any = None,
    request_id: str = "r-1",
    body: Any = None,
    drop: str | None = None,
) -> httpx.Response:
    path = path or f"/US/wltex/cards/{CARD_ID}/updates"
    signer = signer or sandbox.partner_signer()
    headers = {
        "Authorization": signer.authorization_header(method, token_path or path),
        "x-smcs-partner-id": partner_id or signer.partner_id,
        "x-request-id": request_id,
    }
    if drop:
        del headers[drop]
    body = body if body is not None else {"card": {"type": "loyalty", "data": [{"refId": "r", "state": "UPDATED"}]}}
    return sandbox.http.request(method, path, json=body if method == "POST" else None, headers=headers)


@pytest.mark.parametrize(
    ("attack", "status", "code"),
    [
        ("samsung_key", 401, "bad_signature"),
        ("stale", 401, "expired"),
        ("other_path", 401, "claim_mismatch"),
        ("other_partner_header", 401, "wrong_partner_id"),
        ("no_authorization", 401, "missing_credentials"),
        ("no_request_id", 400, "invalid_request_id"),
        ("other_certificate", 401, "unknown_certificate"),  # not registered with the sandbox
    ],
)
def test_the_sandbox_checks_the_partner_token(
    linkkit_sandbox: SandboxHandle, attack: str, status: int, code: str
) -> None:
    import dataclasses

    kwargs: dict[str, Any] = {}
    signer = linkkit_sandbox.partner_signer()
    if attack == "samsung_key":
        kwargs["signer"] = dataclasses.replace(signer, private_key=linkkit_sandbox.identity.samsung_key)
    elif attack == "stale":
        kwargs["signer"] = dataclasses.replace(signer, clock=lambda: time.time() - 61)
    elif attack == "other_path":
        kwargs["token_path"] = f"/US/wltex/cards/{CARD_ID}/cancels"
    elif attack == "other_partner_header":
        kwargs["partner_id"] = "4000000000000000001"
    elif attack == "no_authorization":
        kwargs["drop"] = "Authorization"
    elif attack == "no_request_id":
        kwargs["drop"] = "x-request-id"
    else:
        kwargs["signer"] = dataclasses.replace(signer, certificate_id="ABCD")
    response = _raw(linkkit_sandbox, **kwargs)
    assert response.status_code == status and response.json()["resultCode"] == code
    assert linkkit_sandbox.calls()[-1]["status"] == status


def test_a_token_reused_for_another_request_is_refused(linkkit_sandbox: SandboxHandle) -> None:
    path = f"/US/wltex/cards/{CARD_ID}/updates"
    signer = linkkit_sandbox.partner_signer()
    token = signer.authorization_header("POST", path)
    body = {"card": {"type": "loyalty", "data": [{"refId": "r", "state": "UPDATED"}]}}

    def send(request_id: str) -> httpx.Response:
        headers = {"Authorization": token, "x-smcs-partner-id": signer.partner_id, "x-request-id": request_id}
        return linkkit_sandbox.http.post(path, json=body, headers=headers)

    assert send("one").status_code == 204
    again = send("two")
    assert again.status_code == 401 and again.json()["resultCode"] == "replayed"


def test_a_reused_token_is_refused_whatever_its_spelling(linkkit_sandbox: SandboxHandle) -> None:
    # The sandbox keys a token on its decoded signature bytes, as the partner does: the case of the
    # scheme, whitespace around the value or the unused low bits of the last character change nothing.
    path = f"/US/wltex/cards/{CARD_ID}/updates"
    signer = linkkit_sandbox.partner_signer()
    token = signer.auth_token("POST", path)
    body = {"card": {"type": "loyalty", "data": [{"refId": "r", "state": "UPDATED"}]}}

    def send(authorization: str, request_id: str) -> httpx.Response:
        headers = {"Authorization": authorization, "x-smcs-partner-id": signer.partner_id, "x-request-id": request_id}
        return linkkit_sandbox.http.post(path, json=body, headers=headers)

    assert send("Bearer " + token, "first").status_code == 204
    head, sig = token.rsplit(".", 1)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = [f"{head}.{sig[:-1]}{c}" for c in alphabet if c != sig[-1]]
    for n, variant in enumerate(["bearer " + token, "BEARER " + token, token, *respelled]):
        again = send(variant, f"again-{n}")
        assert again.status_code == 401 and again.json()["resultCode"] in ("replayed", "malformed", "bad_signature")
        assert again.json()["resultCode"] != "bad_signature" or variant.rsplit(".", 1)[1][:-1] == sig[:-1]


def test_a_retry_with_the_same_request_id_gets_the_first_answer(
    linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]
) -> None:
    first = _raw(linkkit_sandbox, request_id="same")
    time.sleep(0.002)  # a new token (another millisecond) for the retry
    second = _raw(linkkit_sandbox, request_id="same")
    assert first.status_code == second.status_code == 204
    assert [c.get("retry") for c in linkkit_sandbox.calls(api="update_notification")] == [None, True]


# -- faults ----------------------------------------------------------------------------------------


def test_503_with_retry_after_is_retried(
    client: WalletClient, linkkit_sandbox: SandboxHandle, sleeps: list[float]
) -> None:
    linkkit_sandbox.faults.add("503", value=2, times=2)
    ids = client.get_reference_ids(CARD_ID, event_id="e", card_type="ticket", cc2="US")
    assert ids.count == 0 and sleeps == [2.0, 2.0]
    statuses = [c["status"] for c in linkkit_sandbox.calls(api="get_reference_ids")]
    assert statuses == [503, 503, 200]


def test_503_until_the_client_gives_up(client: WalletClient, linkkit_sandbox: SandboxHandle) -> None:
    with linkkit_sandbox.faults.inject("503", value=1):
        with pytest.raises(ServiceUnavailableError) as info:
            client.update_notification(CARD_ID, "loyalty", [CardUpdate("r", "UPDATED")], cc2="US")
    assert info.value.retry_after == 1.0 and info.value.code == "503.1"


@pytest.mark.parametrize(
    ("fault", "error"), [("500", ServerError), ("400", BadRequestError), ("401", UnauthorizedError)]
)
def test_error_faults_are_not_retried(
    client: WalletClient, linkkit_sandbox: SandboxHandle, fault: str, error: type[Exception]
) -> None:
    linkkit_sandbox.faults.add(fault, times=1)
    with pytest.raises(error):
        client.create_template(TEMPLATE)
    assert len(linkkit_sandbox.calls(api="create_template")) == 1


def test_slow_answers_meet_the_client_timeout(linkkit_sandbox: SandboxHandle) -> None:
    from linkkit.errors import TransportError

    with WalletClient(linkkit_sandbox.partner_signer(), linkkit_sandbox.endpoints, timeout=0.2) as impatient:
        linkkit_sandbox.faults.add("slow", value=0.5, times=1)
        with pytest.raises(TransportError, match="ReadTimeout"):
            impatient.create_template(TEMPLATE)


def test_a_per_request_fault_header(linkkit_sandbox: SandboxHandle) -> None:
    response = linkkit_sandbox.http.post(f"/US/wltex/cards/{CARD_ID}/updates", headers={"x-linkkit-fault": "503=7"})
    assert response.status_code == 503 and response.headers["retry-after"] == "7"
    bad = linkkit_sandbox.http.post(f"/US/wltex/cards/{CARD_ID}/updates", headers={"x-linkkit-fault": "teapot"})
    assert bad.status_code == 400 and bad.json()["resultCode"] == "invalid_fault"


@pytest.mark.parametrize(
    ("content_type", "status"),
    [("text/plain", 415), ("application/x-www-form-urlencoded", 415), ("application/json;charset=UTF-8", 204)],
)
def test_a_body_that_is_not_declared_json_is_415(
    linkkit_sandbox: SandboxHandle, content_type: str, status: int
) -> None:
    signer = linkkit_sandbox.partner_signer()
    path = f"/US/wltex/cards/{CARD_ID}/updates"
    body = b'{"card":{"type":"loyalty","data":[{"refId":"never-added","state":"UPDATED"}]}}'
    answer = httpx.post(
        linkkit_sandbox.url + path,
        content=body,
        headers={
            "Authorization": signer.authorization_header("POST", path),
            "x-smcs-partner-id": signer.partner_id,
            "x-request-id": "a" * 32,
            "Content-Type": content_type,
        },
    )
    # declared JSON, the body is read (204: no wallet holds that card); declared otherwise, it is not read
    assert answer.status_code == status
    if status == 415:
        assert answer.json()["resultCode"] == "unsupported_media_type"
