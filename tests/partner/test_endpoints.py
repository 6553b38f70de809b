"""Get Card Data and Send Card State over real HTTP, and every refusal of the inbound AUTH checks."""

from __future__ import annotations

import logging
import socket
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.cards import CardEvent
from linkkit.partner import PartnerServer, SQLiteStore
from linkkit.tokens import TokenSigner
from linkkit.verify import TokenVerifier
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, FrozenClock, Identity
from tests.partner.conftest import DictCards, Live, card_for

CARD_PATH = f"/cards/{CARD_ID}/ref-1"


# -- Get Card Data ----------------------------------------------------------------------------------


def test_get_card_data_answers_a_card_data_token_samsung_can_open(
    live: Live, verifier: TokenVerifier, cards: DictCards
) -> None:
    response = live.call("GET", CARD_PATH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"cdata"}
    opened = verifier.open_card_data_token(body["cdata"])  # Samsung's side: partner cert, Samsung key
    assert opened.card == cards.cards[(CARD_ID, "ref-1")]
    assert cards.asked == [(CARD_ID, "ref-1", None)]


def test_get_card_data_passes_fields_and_the_older_select_name(live: Live, cards: DictCards) -> None:
    assert live.call("GET", CARD_PATH, query={"fields": "balance,barcode.value"}).status_code == 200
    assert live.call("GET", CARD_PATH, query={"select": "idPhoto"}).status_code == 200
    assert [a[2] for a in cards.asked] == [("balance", "barcode.value"), ("idPhoto",)]


@pytest.mark.parametrize("fields", ["balance;drop", "a,,b", "x" * 129, "é"])
def test_get_card_data_refuses_malformed_fields(live: Live, cards: DictCards, fields: str) -> None:
    response = live.call("GET", CARD_PATH, query={"fields": fields})
    assert response.status_code == 400 and response.json()["code"] == "invalid_fields"
    assert cards.asked == []


def test_get_card_data_answers_204_for_an_unknown_card(live: Live) -> None:
    response = live.call("GET", f"/cards/{CARD_ID}/no-such-ref")
    assert response.status_code == 204 and response.content == b""


def test_get_card_data_can_answer_the_plain_card(
    partner: PartnerServer, partner_config: Any, cards: DictCards, store: SQLiteStore, samsung_signer: TokenSigner
) -> None:
    import dataclasses

    from flask import Flask

    from linkkit._serving import ServerThread

    plain = PartnerServer(dataclasses.replace(partner_config, card_data_format="card"), cards, store=store)
    app = Flask("plain")
    app.register_blueprint(plain.blueprint())
    with ServerThread(app) as server:
        response = Live(server.url, samsung_signer).call("GET", CARD_PATH)
    assert response.status_code == 200
    assert response.json() == {"card": cards.cards[(CARD_ID, "ref-1")]["card"]}


def test_an_invalid_merchant_card_is_a_logged_500_not_a_bad_token(
    live: Live, cards: DictCards, caplog: pytest.LogCaptureFixture, loyalty_card: dict[str, Any]
) -> None:
    broken = card_for(loyalty_card, "ref-1")
    del broken["card"]["data"][0]["attributes"]["title"]
    cards.cards[(CARD_ID, "ref-1")] = broken
    response = live.call("GET", CARD_PATH)
    assert response.status_code == 500 and response.json()["code"] == "invalid_card"
    assert "card.data[0].attributes.title: required" in caplog.text


def test_a_busy_card_source_is_a_503_with_retry_after(live: Live, cards: DictCards) -> None:
    from linkkit.errors import ServiceUnavailableError

    def busy(card_id: str, ref_id: str, fields: Any) -> Any:
        raise ServiceUnavailableError("database busy", retry_after=7)

    cards.get_card = busy  # type: ignore[method-assign]
    response = live.call("GET", CARD_PATH)
    assert response.status_code == 503 and response.headers["retry-after"] == "7"
    assert response.json()["code"] == "unavailable"


def test_a_card_for_another_ref_id_is_refused(live: Live, cards: DictCards, loyalty_card: dict[str, Any]) -> None:
    cards.cards[(CARD_ID, "ref-1")] = card_for(loyalty_card, "ref-2")
    assert live.call("GET", CARD_PATH).status_code == 500


def test_an_unchanged_card_is_validated_once_but_never_for_another_ref_id(
    live: Live, cards: DictCards, loyalty_card: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import linkkit.partner.endpoints as endpoints

    checked: list[int] = []
    real = endpoints.check_card
    monkeypatch.setattr(endpoints, "check_card", lambda card, **kw: checked.append(1) or real(card, **kw))
    same = card_for(loyalty_card, "ref-1")
    cards.cards[(CARD_ID, "ref-1")] = same
    assert [live.call("GET", CARD_PATH).status_code for _ in range(3)] == [200, 200, 200]
    assert len(checked) == 1
    # The same bytes served for another refId still meet the refId check (the cache is per refId).
    cards.cards[(CARD_ID, "ref-other")] = same
    assert live.call("GET", f"/cards/{CARD_ID}/ref-other").status_code == 500
    # A changed card is validated again, and refused when it is no longer valid.
    broken = card_for(loyalty_card, "ref-1")
    del broken["card"]["data"][0]["attributes"]["title"]
    cards.cards[(CARD_ID, "ref-1")] = broken
    assert live.call("GET", CARD_PATH).status_code == 500


JSON_TYPE = {"content-type": "application/json"}


# -- Send Card State --------------------------------------------------------------------------------


def test_send_card_state_stores_the_event_and_callback(live: Live, store: SQLiteStore) -> None:
    response = live.call(
        "POST",
        CARD_PATH,
        query={"cc2": "us", "event": "ADDED"},
        json={"callback": "https://us-tsapi.walletsvc.samsung.com"},
        request_id="rid-added",
    )
    assert response.status_code == 200 and response.content == b""
    status = store.card_status(CARD_ID, "ref-1")
    assert status is not None
    assert (status.event, status.cc2, status.callback) == ("ADDED", "US", "https://us-tsapi.walletsvc.samsung.com")
    [event] = store.events(CARD_ID, "ref-1")
    assert event.request_id == "rid-added"


def test_send_card_state_is_idempotent(live: Live, store: SQLiteStore) -> None:
    query = {"cc2": "US", "event": "ADDED"}
    body = {"callback": "https://us-tsapi.walletsvc.samsung.com"}
    assert live.call("POST", CARD_PATH, query=query, json=body, request_id="r1").status_code == 200
    # Samsung retries with a new request id: answered 200, stored once
    assert live.call("POST", CARD_PATH, query=query, json=body, request_id="r2").status_code == 200
    # the same request id again is a replay: refused, still stored once
    replay = live.call("POST", CARD_PATH, query=query, json=body, request_id="r1")
    assert replay.status_code == 401 and replay.json()["code"] == "replayed"
    assert len(store.events(CARD_ID, "ref-1")) == 1
    # a later, different event is stored; the callback is kept when the new event has none
    assert live.call("POST", CARD_PATH, query={"cc2": "US", "event": "DELETED"}).status_code == 200
    assert [e.event for e in store.events(CARD_ID, "ref-1")] == ["DELETED", "ADDED"]
    status = store.card_status(CARD_ID, "ref-1")
    assert status is not None and status.callback == "https://us-tsapi.walletsvc.samsung.com"


def test_send_card_state_accepts_every_documented_event_and_no_body(live: Live, store: SQLiteStore) -> None:
    for event in CardEvent:
        assert live.call("POST", CARD_PATH, query={"cc2": "KR", "event": event.value}).status_code == 200
    assert [e.event for e in store.events(CARD_ID, "ref-1")] == list(reversed([e.value for e in CardEvent]))


@pytest.mark.parametrize(
    ("query", "body", "code"),
    [
        ({"event": "ADDED"}, None, "invalid_cc2"),
        ({"cc2": "USA", "event": "ADDED"}, None, "invalid_cc2"),
        ({"cc2": "US"}, None, "invalid_event"),
        ({"cc2": "US", "event": "added"}, None, "invalid_event"),
        ({"cc2": "US", "event": "ADDED"}, ["callback"], "invalid_body"),
        ({"cc2": "US", "event": "ADDED"}, {"callback": "javascript:alert(1)"}, "invalid_callback"),
        ({"cc2": "US", "event": "ADDED"}, {"callback": "https://x/" + "a" * 1024}, "invalid_callback"),
        ({"cc2": "US", "event": "ADDED"}, {"callback": 7}, "invalid_callback"),
    ],
)
def test_send_card_state_refuses_bad_input(
    live: Live, store: SQLiteStore, query: dict[str, str], body: Any, code: str
) -> None:
    response = live.call("POST", CARD_PATH, query=query, json=body)
    assert response.status_code == 400 and response.json()["code"] == code
    assert store.events() == []


def test_send_card_state_refuses_a_body_that_is_not_json(live: Live) -> None:
    response = live.call("POST", CARD_PATH, query={"cc2": "US", "event": "ADDED"}, content=b"{nope", headers=JSON_TYPE)
    assert response.status_code == 400 and response.json()["code"] == "invalid_body"


def test_on_event_hook_sees_each_new_event_once(
    partner_config: Any, cards: DictCards, store: SQLiteStore, samsung_signer: TokenSigner
) -> None:
    from flask import Flask

    from linkkit._serving import ServerThread

    seen: list[str] = []

    def hook(record: Any) -> None:
        seen.append(record.event)
        raise RuntimeError("a broken hook does not change the answer")

    server = PartnerServer(partner_config, cards, store=store, on_event=hook)
    app = Flask("hook")
    app.register_blueprint(server.blueprint())
    with ServerThread(app) as running:
        live = Live(running.url, samsung_signer)
        for _ in range(2):
            assert live.call("POST", CARD_PATH, query={"cc2": "US", "event": "ADDED"}).status_code == 200
    assert seen == ["ADDED"]


# -- routing and hostile ids ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/cards/unknown-card/ref-1", 404),
        (f"/cards/{CARD_ID}/..%2F..%2Fetc%2Fpasswd", 400),
        (f"/cards/{CARD_ID}/%2E%2E", 400),
        (f"/cards/{CARD_ID}/ref%00nul", 400),
        (f"/cards/{CARD_ID}/r%C3%A9f", 400),
        (f"/cards/{CARD_ID}/" + "a" * 129, 400),
        (f"/cards/{'9' * 33}/ref-1", 404),
        ("/cards/%2E%2E/ref-1", 404),
        (f"/cards/{CARD_ID}/ref-1/other", 404),
        (f"/cards/{CARD_ID}", 404),
    ],
)
def test_hostile_ids_are_refused_before_the_store(
    live: Live, store: SQLiteStore, cards: DictCards, path: str, status: int
) -> None:
    for method in ("GET", "POST"):
        response = live.call(method, path, query={"cc2": "US", "event": "ADDED"})
        assert response.status_code == status, (method, path)
    assert cards.asked == [] and store.events() == []
    # the request ids were never remembered: the store was not touched
    store.check_and_remember("probe")


def test_other_methods_are_405(live: Live) -> None:
    response = live.call("DELETE", CARD_PATH)
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
    assert live.call("GET", CARD_PATH + "/requestAction").status_code == 405


# -- inbound AUTH checks ------------------------------------------------------------------------------


def _signer(identity: Identity, clock: FrozenClock, **overrides: Any) -> TokenSigner:
    kwargs: dict[str, Any] = dict(
        partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=identity.samsung_key, clock=clock
    )
    kwargs.update(overrides)
    return TokenSigner(**kwargs)


def test_a_token_without_bearer_prefix_is_accepted(live: Live) -> None:
    assert live.call("GET", CARD_PATH, bearer=False).status_code == 200


@pytest.mark.parametrize(
    "attack",
    [
        "forged",
        "stale",
        "future",
        "method_swapped",
        "path_swapped",
        "other_partner",
        "card_token",
        "garbage",
        "query_in_path",
    ],
)
def test_attacks_on_the_auth_token_are_refused(
    live: Live, identity: Identity, clock: FrozenClock, cards: DictCards, store: SQLiteStore, attack: str
) -> None:
    token_path = CARD_PATH
    if attack == "forged":  # signed with the partner's key, not Samsung's
        token = _signer(identity, clock, private_key=identity.partner_key).auth_token("GET", token_path)
        code = "bad_signature"
    elif attack == "stale":
        token = _signer(identity, FrozenClock(clock.now - 66)).auth_token("GET", token_path)
        code = "expired"
    elif attack == "future":
        token = _signer(identity, FrozenClock(clock.now + 66)).auth_token("GET", token_path)
        code = "from_future"
    elif attack == "method_swapped":
        token = live.signer.auth_token("POST", token_path)
        code = "claim_mismatch"
    elif attack == "path_swapped":
        token = live.signer.auth_token("GET", f"/cards/{CARD_ID}/ref-2")
        code = "claim_mismatch"
    elif attack == "other_partner":
        token = _signer(identity, clock, partner_id="4000000000000000001").auth_token("GET", token_path)
        code = "claim_mismatch"
    elif attack == "card_token":  # a Card Data Token is not an AUTH token
        token = _signer(identity, clock, samsung_public_key=identity.samsung_key.public_key()).card_data_token({})
        code = "wrong_content_type"
    elif attack == "query_in_path":
        token = live.signer.auth_token("GET", "/cards/x/y")
        code = "claim_mismatch"
    else:
        token = "not.a.jwt"
        code = "malformed"
    response = live.call("GET", CARD_PATH, token=token)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert cards.asked == []


def test_a_replayed_request_is_refused(live: Live, cards: DictCards) -> None:
    token = live.signer.auth_token("GET", CARD_PATH)
    assert live.call("GET", CARD_PATH, token=token, request_id="same-id").status_code == 200
    again = live.call("GET", CARD_PATH, token=token, request_id="same-id")
    assert again.status_code == 401 and again.json()["code"] == "replayed"
    assert len(cards.asked) == 1


def test_a_captured_token_under_a_new_request_id_is_refused(live: Live, cards: DictCards) -> None:
    token = live.signer.auth_token("GET", CARD_PATH)
    assert live.call("GET", CARD_PATH, token=token, request_id="first").status_code == 200
    again = live.call("GET", CARD_PATH, token=token, request_id="second")
    assert again.status_code == 401 and again.json()["code"] == "replayed"
    assert len(cards.asked) == 1


def _raw_get(live: Live, path: str, authorization: str) -> tuple[int, bytes]:
    """GET ``path`` over a plain socket with ``authorization`` sent byte for byte: (status, body)."""
    host, port = live.url.removeprefix("http://").split(":")
    request = (
        f"GET {live.mount}{path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: {authorization}\r\n"
        f"x-request-id: {uuid.uuid4().hex}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(request.encode("ascii"))
        answer = conn.makefile("rb").read()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def _respellings(token: str) -> list[str]:
    """``token`` with its signature's last character changed only in the unused low bits: a lax
    base64url decoder reads each as the same signature (RFC 4648 §3.5)."""
    head, sig = token.rsplit(".", 1)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    unused_bits = {2: 4, 3: 2}[len(sig) % 4]
    last = alphabet.index(sig[-1])
    base = last & ~((1 << unused_bits) - 1)
    return [f"{head}.{sig[:-1]}{alphabet[base + n]}" for n in range(1 << unused_bits) if base + n != last]


def test_one_captured_token_buys_one_request_whatever_its_spelling(live: Live, cards: DictCards) -> None:
    # The review spent one AUTH token 18 times: 15 re-spelled signatures, a trailing space, a tab.
    token = live.signer.auth_token("GET", CARD_PATH)
    assert live.call("GET", CARD_PATH, token=token).status_code == 200
    variants = _respellings(token)
    assert len(variants) in (3, 15)  # 2 or 4 unused bits, depending on the key size
    answers = [live.call("GET", CARD_PATH, token=v).status_code for v in variants]
    # httpx refuses to send whitespace around a header value; a raw socket sends what an attacker would.
    wrappers = ["Bearer " + token + " ", "Bearer " + token + "\t", "Bearer  " + token, "\tBearer " + token + " "]
    answers += [_raw_get(live, CARD_PATH, w)[0] for w in wrappers]
    for scheme in ("bearer ", "BEARER ", "BeArEr "):
        answers.append(live.call("GET", CARD_PATH, token=scheme + token, bearer=False).status_code)
    answers.append(live.call("GET", CARD_PATH, token=token, bearer=False).status_code)
    assert answers == [401] * len(answers)
    assert len(cards.asked) == 1


@pytest.mark.parametrize(
    "authorization",
    ["Basic dXNlcjpwYXNz", "Bearer  {t}", "Bearer\t{t}", "Bearer {t}, Bearer {t}", "Bearer {t}==", "Bearer {t}\x0b"],
)
def test_authorization_values_samsung_never_sends_are_refused(live: Live, cards: DictCards, authorization: str) -> None:
    token = live.signer.auth_token("GET", CARD_PATH)
    status, body = _raw_get(live, CARD_PATH, authorization.format(t=token))
    assert status == 401 and b'"malformed"' in body
    assert cards.asked == []


def test_a_request_id_is_free_again_after_the_window(live: Live, clock: FrozenClock) -> None:
    assert live.call("GET", CARD_PATH, request_id="reuse").status_code == 200
    clock.now += 151
    assert live.call("GET", CARD_PATH, request_id="reuse").status_code == 200


def test_the_ref_id_claim_must_match_the_path(live: Live) -> None:
    token = live.signer.auth_token("GET", CARD_PATH, ref_id="ref-2")
    response = live.call("GET", CARD_PATH, token=token)
    assert response.status_code == 401 and response.json()["code"] == "claim_mismatch"
    matching = live.signer.auth_token("GET", CARD_PATH, ref_id="ref-1")
    assert live.call("GET", CARD_PATH, token=matching).status_code == 200


@pytest.mark.parametrize("missing", ["authorization", "x-request-id", "bad-request-id"])
def test_missing_credentials_are_refused(live: Live, missing: str) -> None:
    token = live.signer.auth_token("GET", CARD_PATH)
    headers = {"authorization": f"Bearer {token}", "x-request-id": "abc"}
    if missing == "bad-request-id":
        headers["x-request-id"] = "has space"
    else:
        del headers[missing]
    response = live.http.get(live.url + CARD_PATH, headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "missing_credentials"


def test_refusals_are_logged_without_tokens_or_ref_ids(
    live: Live, identity: Identity, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="linkkit.partner")
    secret_ref = "ref-secret-42"
    path = f"/cards/{CARD_ID}/{secret_ref}"
    forged = _signer(identity, clock, private_key=identity.partner_key).auth_token("GET", path)
    stale = _signer(identity, FrozenClock(clock.now - 100)).auth_token("POST", path)
    live.call("GET", path, token=forged, request_id="rid-forged")
    live.call("POST", path, token=stale, query={"cc2": "US", "event": "ADDED"})
    live.call("GET", path, token=live.signer.auth_token("GET", CARD_PATH))
    messages = [r.getMessage() for r in caplog.records if r.name == "linkkit.partner"]
    assert len(messages) == 3
    text = "\n".join(messages)
    assert "bad_signature" in text and "expired" in text and "claim_mismatch" in text and "rid-forged" in text
    assert secret_ref not in text and "/cards/" not in text
    for token in (forged, stale):
        for segment in token.split("."):
            assert segment not in text


def test_a_samsung_certificate_id_can_be_required(
    partner_config: Any, cards: DictCards, store: SQLiteStore, identity: Identity, clock: FrozenClock
) -> None:
    import dataclasses

    from linkkit.partner.wire import Headers, Request

    strict = PartnerServer(dataclasses.replace(partner_config, samsung_certificate_id="SAMS"), cards, store=store)
    for cert, status in (("YMtt", 401), ("SAMS", 200)):
        token = _signer(identity, clock, certificate_id=cert).auth_token("GET", CARD_PATH)
        request = Request("GET", CARD_PATH, CARD_PATH, Headers({"authorization": token, "x-request-id": cert}))
        assert strict.handle(request).status == status


def test_an_unset_samsung_certificate_id_is_warned_once_at_start(
    partner_config: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from linkkit.partner import config as config_module

    monkeypatch.setattr(config_module, "_warned_unset_certificate_id", [])
    with caplog.at_level(logging.WARNING, logger="linkkit.partner"):
        pinned = dataclasses.replace(partner_config, samsung_certificate_id="SAMS")
        PartnerServer(pinned, DictCards(), store=SQLiteStore(":memory:"))
        assert not caplog.records  # a pinned certificateId is not warned about
        for _ in range(2):
            unpinned = dataclasses.replace(partner_config, samsung_certificate_id=None)
            PartnerServer(unpinned, DictCards(), store=SQLiteStore(":memory:"))
    warned = [r.getMessage() for r in caplog.records if "samsung_certificate_id" in r.getMessage()]
    assert len(warned) == 1 and "any certificateId" in warned[0]


def test_the_verification_key_must_be_rsa(partner_config: Any) -> None:
    import dataclasses

    from cryptography.hazmat.primitives.asymmetric import ec

    with pytest.raises(TypeError, match="RSA"):
        dataclasses.replace(partner_config, samsung_public_key=ec.generate_private_key(ec.SECP256R1()).public_key())
    assert isinstance(partner_config.verify_key, rsa.RSAPublicKey)
