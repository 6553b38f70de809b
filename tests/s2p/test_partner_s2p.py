"""The partner's notification endpoint: the framework-free handler, and the Flask app over mutual TLS."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkkit.partner.s2p import NotificationHandler, UnknownRegistrationError
from linkkit.partner.s2p_store import NotificationStore
from linkkit.s2p import Notification
from linkkit.tls import client_context

from .conftest import BLOB, S2P_PARTNER_ID, Partner
from .test_types import JSON

REG = "886674f6-6f07-4117-a9f6-cdab49c498b1"
READY = {
    "event": {"regId": REG, "type": "WA_READY"},
    "user": {"id": "samsung-account-1"},
    "emailMatches": True,
    "device": {"id": "device-1", "imeiLast4": "1234", "locale": {"country": "US"}},
    "wallet": {"id": "wallet-1"},
}


def headers(request_id: str | None = None, partner_id: str = S2P_PARTNER_ID) -> dict[str, str]:
    return {"Request-Id": request_id or uuid.uuid4().hex, "Partner-Id": partner_id, "Content-Type": "application/json"}


def event(kind: str, error: str | None = None) -> dict[str, Any]:
    body = json.loads(json.dumps(READY))
    body["event"]["type"] = kind
    if error:
        body["event"]["error"] = error
    return body


class Hooks:
    def __init__(self) -> None:
        self.blob: Any = BLOB
        self.issued: list[Notification] = []
        self.events: list[Notification] = []

    def issuer(self, n: Notification) -> Any:
        self.issued.append(n)
        if isinstance(self.blob, Exception):
            raise self.blob
        return self.blob

    def on_event(self, n: Notification) -> None:
        self.events.append(n)


@pytest.fixture
def hooks() -> Hooks:
    return Hooks()


@pytest.fixture
def handler(hooks: Hooks, clock: Any) -> NotificationHandler:
    return NotificationHandler(
        partner_id=S2P_PARTNER_ID,
        issuer=hooks.issuer,
        store=NotificationStore(":memory:"),
        on_event=hooks.on_event,
        clock=clock,
    )


def post(handler: NotificationHandler, body: Any, hdrs: dict[str, str] | None = None) -> Any:
    hdrs = hdrs or headers()
    reply = handler.handle(hdrs, json.dumps(body).encode())
    return reply, json.loads(reply.body_bytes())


def test_wa_ready_is_answered_with_the_issuer_blob(handler, hooks):
    hdrs = headers()
    reply, body = post(handler, READY, hdrs)
    assert reply.status == 200 and body == {"card": {"data": {"encryptedData": BLOB}}}
    assert reply.headers == {"Content-Type": "application/json", "Response-Id": hdrs["Request-Id"]}
    [n] = hooks.issued
    assert (
        n.reg_id,
        n.user_id,
        n.device.id,
        n.device.imei_last4,
        n.device.country,
        n.wallet_id,
        n.email_matches,
        n.phone_matches,
    ) == (REG, "samsung-account-1", "device-1", "1234", "US", "wallet-1", True, None)


def test_wa_ready_without_blob_when_the_registration_carried_data(handler, hooks):
    hooks.blob = None
    reply, body = post(handler, READY)
    assert reply.status == 200 and body == {}


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("WA_PROVISIONED", None),
        ("WA_PROVISION_FAILURE", None),
        ("WA_PROVISION_FAILURE", "CARD_ALREADY_PRESENT"),
    ],
)
def test_final_events_are_stored_and_acknowledged(handler, hooks, kind, error):
    reply, body = post(handler, event(kind, error))
    assert reply.status == 200 and body == {}
    assert hooks.issued == []  # the issuer is only asked on WA_READY
    [n] = hooks.events
    assert (n.type, n.error) == (kind, error)


def test_events_are_kept_per_registration_in_order(handler, clock):
    store = handler.store
    for kind in ("WA_READY", "WA_PROVISIONED"):
        clock.now += 1
        post(handler, event(kind))
    assert [s.notification.type for s in store.for_registration(REG)] == ["WA_READY", "WA_PROVISIONED"]
    assert store.latest(REG).received_at == clock.now
    assert store.for_registration("other-" + "x" * 30) == [] and store.latest("x" * 30) is None


def test_a_retried_delivery_is_stored_once(handler, hooks):
    hdrs = headers()
    post(handler, READY, hdrs)
    reply, body = post(handler, READY, hdrs)
    assert reply.status == 200 and body["card"]["data"]["encryptedData"] == BLOB  # answered again
    assert handler.store.count() == 1 and len(hooks.events) == 1 and len(hooks.issued) == 2


@pytest.mark.parametrize(
    ("hdrs", "field"),
    [
        ({"Partner-Id": S2P_PARTNER_ID}, "Request-Id"),
        ({"Request-Id": "a" * 32}, "Partner-Id"),
        (headers(partner_id="some-other-partner-id-0123456789"), "Partner-Id"),
        (headers(request_id="short"), "Request-Id"),
    ],
)
def test_bad_headers_are_invalid_data(handler, hdrs, field):
    reply, body = post(handler, READY, hdrs)
    assert reply.status == 400 and body["code"] == "400.1" and body["errors"][0]["field"] == field
    assert handler.store.count() == 0


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"not json", ""),
        (json.dumps({"event": {"type": "WA_READY"}}).encode(), "event.regId"),
        (json.dumps(event("WA_GONE")).encode(), "event.type"),
        (json.dumps({"event": {"regId": REG, "type": "WA_READY"}, "device": {}}).encode(), "device.id"),
    ],
)
def test_bad_bodies_are_invalid_data_naming_the_field(handler, hooks, raw, field):
    hdrs = headers()
    reply = handler.handle(hdrs, raw)
    body = json.loads(reply.body_bytes())
    assert reply.status == 400 and body["code"] == "400.1" and body["errors"][0]["field"] == field
    assert body["message"].startswith("Invalid Data")
    assert reply.headers["Response-Id"] == hdrs["Request-Id"]
    assert hooks.issued == [] and handler.store.count() == 0


def test_unknown_registration_from_the_hook_is_invalid_data(handler, hooks):
    hooks.blob = UnknownRegistrationError()
    reply, body = post(handler, READY)
    assert reply.status == 400 and body["errors"] == [{"field": "event.regId", "reason": "unknown registration"}]


@pytest.mark.parametrize("blob", [RuntimeError("issuer down"), "x" * 65537, 42])
def test_a_failing_or_wrong_issuer_hook_is_an_internal_error(handler, hooks, blob):
    hooks.blob = blob
    reply, body = post(handler, READY)
    assert reply.status == 500 and body == {"code": "500.1", "message": "Internal Server Error"}
    assert "issuer down" not in json.dumps(body)


def test_a_failing_event_hook_does_not_fail_the_delivery(hooks, clock):
    def boom(_n: Notification) -> None:
        raise RuntimeError("db down")

    handler = NotificationHandler(
        partner_id=S2P_PARTNER_ID, issuer=hooks.issuer, store=NotificationStore(":memory:"), on_event=boom, clock=clock
    )
    reply, _ = post(handler, event("WA_PROVISIONED"))
    assert reply.status == 200 and handler.store.count() == 1


def test_handler_misuse():
    with pytest.raises(ValueError, match="partner_id"):
        NotificationHandler(partner_id="short", issuer=lambda n: None, store=NotificationStore(":memory:"))
    with pytest.raises(TypeError, match="callable"):
        NotificationHandler(partner_id=S2P_PARTNER_ID, issuer="blob", store=NotificationStore(":memory:"))


def test_the_endpoint_over_mutual_tls(partner: Partner, identity):
    files = identity.files
    tls = client_context(
        certificate=files["s2p-client.crt"], private_key=files["s2p-client.key"], server_ca=files["partner-ca.crt"]
    )
    hdrs = headers()
    with httpx.Client(verify=tls) as http:
        answer = http.post(f"{partner.url}/notifications", json=READY, headers=hdrs)
        assert answer.status_code == 200 and answer.headers["Response-Id"] == hdrs["Request-Id"]
        assert answer.json() == {"card": {"data": {"encryptedData": BLOB}}}
        too_big = http.post(
            f"{partner.url}/notifications",
            content=b"[" + b"0," * 200_000 + b"0]",
            headers=headers() | {"Content-Type": "application/json"},
        )
        assert too_big.status_code == 400 and "larger than" in too_big.json()["message"]
        assert http.get(f"{partner.url}/notifications").status_code == 405
    assert partner.store.count() == 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headers=st.dictionaries(
        st.sampled_from(["Request-Id", "Partner-Id", "request-id", "X"]),
        st.text(max_size=40) | st.just(S2P_PARTNER_ID) | st.just("a" * 32),
        max_size=3,
    ),
    body=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()),
)
def test_fuzz_the_handler_always_answers(hooks, headers, body):
    handler = NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=hooks.issuer, store=NotificationStore(":memory:"))
    reply = handler.handle(headers, body)
    assert reply.status in (200, 400, 415, 500)
    assert json.loads(reply.body_bytes()) is not None


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_the_endpoint_refuses_a_body_not_declared_json(partner: Partner, identity, content_type):
    files = identity.files
    tls = client_context(
        certificate=files["s2p-client.crt"], private_key=files["s2p-client.key"], server_ca=files["partner-ca.crt"]
    )
    hdrs = {k: v for k, v in headers().items() if k != "Content-Type"}
    if content_type is not None:
        hdrs["Content-Type"] = content_type
    with httpx.Client(verify=tls) as http:
        answer = http.post(f"{partner.url}/notifications", content=json.dumps(READY).encode(), headers=hdrs)
        assert answer.status_code == 415 and "Content-Type" in answer.json()["message"]
        samsung = http.post(
            f"{partner.url}/notifications",
            content=json.dumps(READY).encode(),
            headers=headers() | {"Content-Type": "application/json;charset=UTF-8"},
        )
        assert samsung.status_code == 200
    assert partner.store.count() == 1
