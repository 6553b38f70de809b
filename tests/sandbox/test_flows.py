"""Opening each link kind on the sandbox, both sides real: Transmit, Fetch, Action, then Add."""

from __future__ import annotations

import time
from typing import Any

import pytest

from linkkit.links import action_link, fetch_link, transmit_link
from linkkit.partner import PartnerServer
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.partner.conftest import card_for
from tests.sandbox.conftest import Partner


def _added(partner: Partner, ref_id: str) -> Any:
    status = partner.store.card_status(CARD_ID, ref_id)
    assert status is not None
    return status


def test_data_transmit_link_preview_add_and_added_event(
    linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]
) -> None:
    card = card_for(loyalty_card, "ref-t1")
    link = transmit_link(CARD_ID, partner.signer.card_data_token(card), base=linkkit_sandbox.url)
    session = linkkit_sandbox.open_link(link)
    assert session["step"] == "preview", session
    assert session["kind"] == "transmit" and session["refId"] == "ref-t1" and session["card"] == card
    added = linkkit_sandbox.add(session)
    assert added["step"] == "added" and added["partnerStatus"] == [200]
    status = _added(partner, "ref-t1")
    assert (status.event, status.cc2, status.callback) == ("ADDED", "US", linkkit_sandbox.url)
    [wallet_card] = linkkit_sandbox.cards()
    assert (wallet_card["refId"], wallet_card["state"], wallet_card["source"]) == ("ref-t1", "ACTIVE", "transmit")
    out = linkkit_sandbox.calls(api="send_card_state")
    assert out[-1]["direction"] == "out" and out[-1]["path"] == f"/cards/{CARD_ID}/ref-t1"


def test_v1_transmit_links_work_too(
    linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]
) -> None:
    link = transmit_link(
        CARD_ID, partner.signer.card_data_token(card_for(loyalty_card, "ref-v1")), version=1, base=linkkit_sandbox.url
    )
    assert linkkit_sandbox.open_link(link)["step"] == "preview"


def test_data_fetch_link_calls_get_card_data(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url))
    assert session["step"] == "preview" and session["card"] == partner.cards.cards[(CARD_ID, "ref-1")]
    assert partner.cards.asked == [(CARD_ID, "ref-1", None)]
    [call] = linkkit_sandbox.calls(api="get_card_data")
    assert call["status"] == 200 and call["direction"] == "out"
    assert linkkit_sandbox.add(session)["partnerStatus"] == [200]
    assert _added(partner, "ref-1").event == "ADDED"


def test_data_fetch_link_for_a_card_the_partner_does_not_have(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, "no-such-ref", base=linkkit_sandbox.url))
    assert session["step"] == "error" and session["error"]["code"] == "card_not_found"


def test_data_action_link_runs_the_whole_request_action_sequence(
    linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    session = linkkit_sandbox.open_link(action_link(CERTIFICATE_ID, CARD_ID, base=linkkit_sandbox.url))
    assert session["step"] == "collect", session
    assert session["fields"] == ["phone", "otp"] and session["message"] == "Enter the code we sent"
    wrong = linkkit_sandbox.user_auth(session, {"phone": "+15550100", "otp": "000000"})
    assert wrong["step"] == "collect" and wrong["error"] == {"code": "AUTH_FAILED", "message": "wrong code"}
    right = linkkit_sandbox.user_auth(session, {"phone": "+15550100", "otp": "123456"})
    assert right["step"] == "preview" and right["refId"] == "ref-member"
    assert linkkit_sandbox.add(right)["step"] == "added"
    assert _added(partner, "ref-member").event == "ADDED"
    actions = linkkit_sandbox.calls(api="request_action")
    assert [c["status"] for c in actions] == [200, 400, 200]
    assert len({c["path"] for c in actions}) == 1  # one sequence id for every step


def test_register_with_a_ref_id_fetches_the_card(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    session = linkkit_sandbox.open_link(action_link(CERTIFICATE_ID, CARD_ID, base=linkkit_sandbox.url))
    done = linkkit_sandbox.user_auth(session, {"phone": "by-ref", "otp": "123456"})
    assert done["step"] == "preview" and done["refId"] == "ref-2"
    assert partner.cards.asked[-1] == (CARD_ID, "ref-2", None)


@pytest.mark.parametrize(
    ("make", "code"),
    [
        ("stale", "expired"),
        ("wrong_partner_key", "bad_signature"),
        ("other_certificate", "unknown_certificate"),  # a certificateId the sandbox never registered
        ("other_partner", "claim_mismatch"),
        ("invalid_card", "invalid_card"),
    ],
)
def test_data_transmit_refusals(
    linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any], make: str, code: str
) -> None:
    import dataclasses

    card = card_for(loyalty_card, "ref-x")
    signer = partner.signer
    card_id = CARD_ID
    if make == "stale":
        signer = dataclasses.replace(signer, clock=lambda: time.time() - 31)
    elif make == "wrong_partner_key":
        signer = dataclasses.replace(signer, private_key=linkkit_sandbox.identity.samsung_key)
    elif make == "other_certificate":
        signer = dataclasses.replace(signer, certificate_id="XXXX")
    elif make == "other_partner":
        signer = dataclasses.replace(signer, partner_id="4111111111111111111")
    elif make == "invalid_card":
        del card["card"]["data"][0]["attributes"]["title"]
    link = transmit_link(card_id, signer.card_data_token(card), base=linkkit_sandbox.url)
    session = linkkit_sandbox.open_link(link)
    assert session["step"] == "error" and session["error"]["code"] == code, session
    assert linkkit_sandbox.cards() == []


def test_registered_card_ids(linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]) -> None:
    from linkkit._serving import ServerThread
    from linkkit.sandbox import SandboxConfig, create_app
    from linkkit.testing import SandboxHandle as Handle

    config = SandboxConfig.from_identity(dict(linkkit_sandbox.identity.files), partner_base_url=partner.url)
    assert config.card_ids == frozenset({CARD_ID})
    with ServerThread(create_app(config)) as server:
        handle = Handle(server.url, linkkit_sandbox.identity)
        token = partner.signer.card_data_token(card_for(loyalty_card, "ref-1"))
        assert handle.open_link(transmit_link(CARD_ID, token, base=server.url))["step"] == "preview"
        other = handle.open_link(transmit_link("3000000000000000001", token, base=server.url))
        assert other["error"]["code"] == "unknown_card"
        handle.close()


def test_invalid_links_are_refused(linkkit_sandbox: SandboxHandle) -> None:
    response = linkkit_sandbox.http.post("/_sandbox/api/open", json={"link": "https://a.swallet.link/nope"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_link"
    assert linkkit_sandbox.http.post("/_sandbox/api/open", json={}).status_code == 400


def test_a_fetch_link_with_another_certificate_id(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    session = linkkit_sandbox.open_link(fetch_link("ZZZZ", CARD_ID, "ref-1", base=linkkit_sandbox.url))
    assert session["error"]["code"] == "wrong_certificate_id" and partner.cards.asked == []


@pytest.mark.parametrize(
    "fault",
    [
        "expired_token",
        "future_token",
        "wrong_certificate_id",
        "wrong_partner_id",
        "bad_signature",
        "wrong_path",
        "wrong_method",
    ],
)
def test_token_faults_make_the_partner_refuse(linkkit_sandbox: SandboxHandle, partner: Partner, fault: str) -> None:
    link = fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url)
    session = linkkit_sandbox.open_link(link, faults=[fault])
    expected = {"wrong_certificate_id": 200}.get(fault, 401)  # the partner does not pin Samsung's cert id
    call = linkkit_sandbox.calls(api="get_card_data")[-1]
    assert call["status"] == expected and call["faults"] == [fault]
    if expected == 401:
        assert session["error"] == {"code": "partner_error", "message": "Get Card Data answered HTTP 401"}
        assert partner.cards.asked == []


def test_the_replay_fault_repeats_a_request_id(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    link = fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url)
    assert linkkit_sandbox.open_link(link)["step"] == "preview"
    replayed = linkkit_sandbox.open_link(link, faults=["replay"])
    assert replayed["step"] == "error"
    first, second = linkkit_sandbox.calls(api="get_card_data")
    assert first["requestId"] == second["requestId"] and second["status"] == 401


def test_queued_token_faults_count_down(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    link = fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url)
    linkkit_sandbox.faults.add("expired_token", times=1)
    assert linkkit_sandbox.open_link(link)["step"] == "error"
    assert linkkit_sandbox.faults.queued() == []
    assert linkkit_sandbox.open_link(link)["step"] == "preview"


def test_a_partner_that_does_not_answer(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    linkkit_sandbox.set_partner_url("http://127.0.0.1:9")
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url))
    assert session["error"] == {"code": "partner_error", "message": "Get Card Data answered HTTP nothing"}
    assert linkkit_sandbox.calls(api="get_card_data")[-1]["status"] == 0


def test_a_partner_answering_the_plain_card(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    import dataclasses

    partner.server.config = dataclasses.replace(partner.server.config, card_data_format="card")
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, "ref-2", base=linkkit_sandbox.url))
    assert session["step"] == "preview" and session["refId"] == "ref-2"


def test_sessions_move_forward_only(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url))
    assert linkkit_sandbox.user_auth(session, {"otp": "1"})["error"]["code"] == "out_of_sequence"
    linkkit_sandbox.add(session)
    again = linkkit_sandbox.add(session)
    assert again["error"]["code"] == "out_of_sequence"
    assert linkkit_sandbox.http.get("/_sandbox/api/s/nope").status_code == 404


def test_the_sandbox_and_the_partner_never_import_each_other() -> None:
    """ARCHITECTURE.md: they meet only over HTTP. Every import statement, lazy ones included."""
    import ast
    from pathlib import Path

    import linkkit

    root = Path(linkkit.__file__).parent
    for package, forbidden in (("sandbox", "linkkit.partner"), ("partner", "linkkit.sandbox")):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                assert not any(n == forbidden or n.startswith(forbidden + ".") for n in names), path
    assert PartnerServer.__module__ == "linkkit.partner.endpoints"
