"""Request Action with signedAtwLink checks over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from linkkit.atw_signature import sign_atw_link
from linkkit.links import action_link, fetch_link
from linkkit.partner import (
    CHECK_ELIGIBILITY,
    USER_AUTH,
    ActionContext,
    ActionRegistry,
    ActionResult,
    PartnerServer,
    SQLiteStore,
    ask_user,
    end,
    register,
    reject,
)
from linkkit.verify import TokenVerifier
from tests.conftest import CARD_ID, CERTIFICATE_ID, FrozenClock, Identity
from tests.partner.conftest import Live, card_for

SEQ = "seq-7f3a9c"  # the id Samsung gives one Data Action sequence (the path's refId slot)
ACTION_PATH = f"/cards/{CARD_ID}/{SEQ}/requestAction"
LINK = action_link(CERTIFICATE_ID, CARD_ID)


@pytest.fixture
def seen() -> list[ActionContext]:
    return []


@pytest.fixture
def actions(seen: list[ActionContext], loyalty_card: dict[str, Any]) -> ActionRegistry:
    registry = ActionRegistry()

    @registry.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        seen.append(ctx)
        if ctx.details.get("reason") == "no-card":
            return end()
        return ask_user(["phone", "otp"], message="We sent you a code")

    @registry.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        seen.append(ctx)
        if ctx.inputs["otp"] != "123456":
            return reject("AUTH_FAILED", "wrong code", action_type=USER_AUTH)
        if ctx.inputs["phone"] == "+10000000000":
            return register(ref_id="ref-from-phone")
        return register(card=card_for(loyalty_card, "ref-new-member"))

    return registry


def _signed(identity: Identity, clock: FrozenClock, link: str = LINK, age: float = 0) -> str:
    return sign_atw_link(link, identity.samsung_key, clock=lambda: clock.now - age)


def _eligibility(live: Live, signed: str | None, **details: str) -> Any:
    payload: dict[str, Any] = {"actionDetails": {"timestamp": "1795000000000", "source": "WALLET", **details}}
    if signed is not None:
        payload["signedAtwLink"] = signed
    return live.call("POST", ACTION_PATH, json={"actionType": CHECK_ELIGIBILITY, "actionPayload": payload})


def _user_auth(live: Live, **inputs: str) -> Any:
    return live.call("POST", ACTION_PATH, json={"actionType": USER_AUTH, "actionPayload": inputs})


def test_the_whole_sequence_ends_in_a_card_samsung_can_open(
    live: Live,
    identity: Identity,
    clock: FrozenClock,
    seen: list[ActionContext],
    verifier: TokenVerifier,
    store: SQLiteStore,
) -> None:
    first = _eligibility(live, _signed(identity, clock))
    assert first.status_code == 200
    assert first.json() == {
        "actionType": "USER_AUTH",
        "actionPayload": {
            "fields": ["phone", "otp"],
            "actionDetails": {"message": "We sent you a code", "level": "INFO"},
        },
    }
    assert seen[0].signed_link is not None and seen[0].signed_link.atw_link == LINK
    assert seen[0].ref_id == SEQ and seen[0].details["source"] == "WALLET"
    session = store.load_action_session(CARD_ID, SEQ)
    assert session is not None and session.fields == ("phone", "otp")

    second = _user_auth(live, phone="+15550100", otp="123456")
    assert second.status_code == 200
    body = second.json()
    assert body["actionType"] == "REGISTER" and set(body["actionPayload"]) == {"cdata"}
    card = verifier.open_card_data_token(body["actionPayload"]["cdata"]).card
    assert card["card"]["data"][0]["refId"] == "ref-new-member"
    assert seen[1].inputs == {"phone": "+15550100", "otp": "123456"}
    assert store.load_action_session(CARD_ID, SEQ) is None  # the sequence is over


def test_register_can_name_a_ref_id_for_get_card_data(live: Live, identity: Identity, clock: FrozenClock) -> None:
    assert _eligibility(live, _signed(identity, clock)).status_code == 200
    response = _user_auth(live, phone="+10000000000", otp="123456")
    assert response.json() == {"actionType": "REGISTER", "actionPayload": {"refId": "ref-from-phone"}}


def test_a_wrong_code_is_a_400_with_a_code_and_the_user_may_try_again(
    live: Live, identity: Identity, clock: FrozenClock
) -> None:
    assert _eligibility(live, _signed(identity, clock)).status_code == 200
    wrong = _user_auth(live, phone="+15550100", otp="000000")
    assert wrong.status_code == 400
    assert wrong.json()["actionPayload"]["actionDetails"] == {
        "code": "AUTH_FAILED",
        "message": "wrong code",
        "level": "ERROR",
    }
    assert _user_auth(live, phone="+15550100", otp="123456").status_code == 200


def test_204_ends_the_sequence(live: Live, identity: Identity, clock: FrozenClock, store: SQLiteStore) -> None:
    response = _eligibility(live, _signed(identity, clock), reason="no-card")
    assert response.status_code == 204 and response.content == b""
    assert store.load_action_session(CARD_ID, SEQ) is None


def test_unknown_action_types_get_a_clear_code(live: Live) -> None:
    for action in ("DELETE_EVERYTHING", "REGISTER"):
        response = live.call("POST", ACTION_PATH, json={"actionType": action, "actionPayload": {}})
        assert response.status_code == 400
        details = response.json()["actionPayload"]["actionDetails"]
        assert details["code"] == "UNSUPPORTED_ACTION_TYPE" and action in details["message"]


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"actionPayload": {}},
        {"actionType": "lower", "actionPayload": {}},
        {"actionType": "USER_AUTH"},
        {"actionType": "USER_AUTH", "actionPayload": "x"},
        {"actionType": "A" * 33, "actionPayload": {}},
    ],
)
def test_malformed_bodies_are_400(live: Live, body: Any) -> None:
    response = live.call("POST", ACTION_PATH, json=body)
    assert response.status_code == 400
    assert response.json()["actionPayload"]["actionDetails"]["code"] == "INVALID_REQUEST"


def test_user_auth_without_eligibility_is_out_of_sequence(live: Live, seen: list[ActionContext]) -> None:
    response = _user_auth(live, phone="+15550100", otp="123456")
    assert response.status_code == 400
    assert response.json()["actionPayload"]["actionDetails"]["code"] == "OUT_OF_SEQUENCE"
    assert seen == []


def test_user_auth_after_the_session_expired_is_out_of_sequence(
    live: Live, identity: Identity, clock: FrozenClock
) -> None:
    assert _eligibility(live, _signed(identity, clock)).status_code == 200
    clock.now += 601
    response = _user_auth(live, phone="+15550100", otp="123456")
    assert response.json()["actionPayload"]["actionDetails"]["code"] == "OUT_OF_SEQUENCE"


def test_user_auth_must_carry_every_field_asked_for(
    live: Live, identity: Identity, clock: FrozenClock, seen: list[ActionContext]
) -> None:
    assert _eligibility(live, _signed(identity, clock)).status_code == 200
    response = _user_auth(live, phone="+15550100", otp="")
    assert response.status_code == 400
    details = response.json()["actionPayload"]["actionDetails"]
    assert details["code"] == "MISSING_FIELDS" and details["message"] == "missing inputs: otp"
    assert len(seen) == 1


def test_check_eligibility_needs_a_signed_atw_link(live: Live) -> None:
    response = _eligibility(live, None)
    assert response.status_code == 400
    assert "signedAtwLink" in response.json()["actionPayload"]["actionDetails"]["message"]


@pytest.mark.parametrize(
    "attack", ["tampered", "old", "other_signer", "other_card", "fetch_link", "not_a_link", "garbage"]
)
def test_bad_signed_atw_links_are_refused(
    live: Live, identity: Identity, clock: FrozenClock, seen: list[ActionContext], attack: str
) -> None:
    import base64

    if attack == "tampered":
        raw = base64.urlsafe_b64decode(_signed(identity, clock) + "==").decode()
        raw = raw.replace(CARD_ID, "3glji6d406001")
        signed = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        reason = "bad_signature"
    elif attack == "old":
        signed = _signed(identity, clock, age=306)
        reason = "expired"
    elif attack == "other_signer":
        signed = sign_atw_link(LINK, identity.partner_key, clock=clock)
        reason = "bad_signature"
    elif attack == "other_card":
        signed = _signed(identity, clock, link=action_link(CERTIFICATE_ID, "3glji6d406001"))
        reason = "claim_mismatch"
    elif attack == "fetch_link":
        signed = _signed(identity, clock, link=fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1"))
        reason = "claim_mismatch"
    elif attack == "not_a_link":
        signed = _signed(identity, clock, link="https://evil.example/x")
        reason = "claim_mismatch"
    else:
        signed = "%%%"
        reason = "malformed"
    response = _eligibility(live, signed)
    assert response.status_code == 401
    details = response.json()["actionPayload"]["actionDetails"]
    assert details == {
        "code": "INVALID_SIGNED_ATW_LINK",
        "message": f"signedAtwLink refused: {reason}",
        "level": "ERROR",
    }
    assert seen == []


def test_a_signed_atw_link_buys_one_check_eligibility(
    live: Live, identity: Identity, clock: FrozenClock, seen: list[ActionContext]
) -> None:
    # Each call carries a fresh AUTH token; the signedAtwLink itself must not be reusable for its
    # 5 minutes (it was, before): the second call with it is refused, even long after the replay window.
    signed = _signed(identity, clock)
    assert _eligibility(live, signed).status_code == 200
    for wait in (1, 200):
        clock.now += wait
        again = _eligibility(live, signed)
        assert again.status_code == 401
        assert again.json()["actionPayload"]["actionDetails"]["message"] == "signedAtwLink refused: replayed"
    assert len(seen) == 1
    assert _eligibility(live, _signed(identity, clock)).status_code == 200  # a new one from Samsung


def test_the_auth_token_is_checked_first(live: Live, identity: Identity, clock: FrozenClock) -> None:
    token = live.signer.auth_token("POST", f"/cards/{CARD_ID}/other-seq/requestAction")
    response = live.call(
        "POST",
        ACTION_PATH,
        token=token,
        json={"actionType": CHECK_ELIGIBILITY, "actionPayload": {"signedAtwLink": "x"}},
    )
    assert response.status_code == 401
    assert response.json()["actionPayload"]["actionDetails"]["code"] == "claim_mismatch"


def test_a_failing_handler_is_a_500_without_details(
    live: Live, identity: Identity, clock: FrozenClock, actions: ActionRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(ctx: ActionContext) -> ActionResult:
        raise RuntimeError("database down")

    actions.add("REFRESH", broken)
    response = live.call("POST", ACTION_PATH, json={"actionType": "REFRESH", "actionPayload": {}})
    assert response.status_code == 500
    assert response.json()["actionPayload"]["actionDetails"]["code"] == "INTERNAL_ERROR"
    assert "database down" not in response.text
    assert "REFRESH handler failed" in caplog.text


def test_without_a_registry_request_action_is_404(
    partner_config: Any, cards: Any, store: SQLiteStore, samsung_signer: Any
) -> None:
    from linkkit.partner.wire import Headers, Request

    server = PartnerServer(partner_config, cards, store=store)
    token = samsung_signer.auth_token("POST", ACTION_PATH)
    response = server.handle(
        Request("POST", ACTION_PATH, ACTION_PATH, Headers({"authorization": token, "x-request-id": "r"}), body=b"{}")
    )
    assert response.status == 404


def test_registry_and_helpers_refuse_misuse() -> None:
    registry = ActionRegistry()
    registry.add("CUSTOM_STEP", lambda ctx: end())
    assert "CUSTOM_STEP" in registry and registry.get("NOPE") is None
    with pytest.raises(ValueError, match="already registered"):
        registry.add("CUSTOM_STEP", lambda ctx: end())
    with pytest.raises(ValueError, match="REGISTER"):
        registry.add("REGISTER", lambda ctx: end())
    with pytest.raises(ValueError, match="upper-case"):
        registry.add("lower", lambda ctx: end())
    with pytest.raises(ValueError, match="exactly one"):
        register()
    with pytest.raises(ValueError, match="exactly one"):
        register(cdata="a.b.c", ref_id="r")
    with pytest.raises(ValueError, match="fields"):
        ask_user("phone")
    with pytest.raises(ValueError, match="field name"):
        ask_user(["ok", "<script>"])
    with pytest.raises(ValueError, match="status"):
        reject("X", "y", status=500)
    assert "CUSTOM_STEP" in repr(registry)
