"""The S2P client against the sandbox S2P server, over mutual TLS on real sockets."""

from __future__ import annotations

import copy
import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from linkkit.clients.s2p import WELCOME_URL_TTL, RegistrationConflictError, S2PClient
from linkkit.errors import (
    BadRequestError,
    ConfigError,
    ServerError,
    ServiceUnavailableError,
    StoreError,
    TransportError,
    ValidationError,
)
from linkkit.identity import CertificateAuthority, cert_pem, issue_certificate, key_pem, new_rsa_key
from linkkit.keys import load_certificate, load_private_key
from linkkit.s2p import RegistrationLedger
from linkkit.tls import client_context, server_context

from .cases import VALID
from .conftest import S2P_PARTNER_ID, registration


def test_register_returns_a_pending_registration_and_records_it(client, sandbox, ledger, running):
    info = client.register(registration(email="user@example.com"), card_ref="card-1")
    assert info.status == "PENDING" and len(info.id) == 36
    assert info.welcome_url.startswith(f"{running.welcome_base_url}/v1/welcome/")
    [stored] = sandbox.registrations
    assert stored.id == info.id and stored.body["custom"]["cardName"] == "Acme Platinum"
    entry = ledger.get("card-1")
    assert (entry.state, entry.reg_id, entry.welcome_url) == ("registered", info.id, info.welcome_url)


def test_raw_json_bodies_are_accepted(client, sandbox):
    info = client.register(copy.deepcopy(VALID), card_ref="card-raw")
    assert sandbox.registrations[0].id == info.id
    assert sandbox.registrations[0].body == VALID["registration"]


def test_invalid_registration_is_refused_before_anything_is_sent(client, sandbox, ledger):
    sandbox.faults.fail_next("500.1")  # a request would consume it
    body = copy.deepcopy(VALID)
    del body["registration"]["custom"]["cardName"]
    with pytest.raises(ValidationError, match=r"^registration.custom.cardName: required$"):
        client.register(body, card_ref="card-1")
    assert sandbox.faults.take(None) is not None  # still queued: nothing reached the server
    assert sandbox.registrations == [] and ledger.get("card-1") is None


def test_a_second_call_for_one_card_returns_the_stored_registration(client, sandbox):
    first = client.register(registration(), card_ref="card-1")
    sandbox.faults.start_outage("503.2", retry_after=60)  # a second POST would fail
    again = client.register(registration(), card_ref="card-1")
    assert again == first and len(sandbox.registrations) == 1


def test_a_different_registration_for_the_same_card_is_refused(client, sandbox):
    client.register(registration(), card_ref="card-1")
    with pytest.raises(RegistrationConflictError, match="once") as info:
        client.register(registration(card_name="Other"), card_ref="card-1")
    assert info.value.state == "registered" and len(sandbox.registrations) == 1


def test_a_card_being_registered_elsewhere_is_refused(client, ledger, sandbox):
    ledger.claim("card-1", "digest", 1.0)  # as another worker would, right now
    with pytest.raises(RegistrationConflictError, match="being sent") as info:
        client.register(registration(), card_ref="card-1")
    assert info.value.state == "pending" and sandbox.registrations == []


def test_registrations_are_per_card(client, sandbox):
    a = client.register(registration(), card_ref="card-a")
    b = client.register(registration(), card_ref="card-b")
    assert a.id != b.id and len(sandbox.registrations) == 2


def test_invalid_data_from_the_server_is_a_bad_request_error(client_factory, ledger, sandbox):
    client = client_factory(partner_id="another-partner-0123456789abcdef")
    with pytest.raises(BadRequestError) as info:
        client.register(registration(), card_ref="card-1")
    err = info.value
    assert (err.status, err.code) == (400, "400.1")
    assert "Partner-Id: is not the Partner ID of this endpoint" in err.message
    assert ledger.get("card-1") is None  # refused: the card can be registered again


def test_500_is_a_server_error_and_not_retried(client, sandbox, sleeps, ledger):
    sandbox.faults.fail_next("500.1")
    with pytest.raises(ServerError) as info:
        client.register(registration(), card_ref="card-1")
    assert (info.value.status, info.value.code) == (500, "500.1") and sleeps == []
    assert ledger.get("card-1") is None


def test_503_is_retried_after_retry_after(client, sandbox, sleeps):
    sandbox.faults.fail_next("503.1", retry_after=2, times=2)
    info = client.register(registration(), card_ref="card-1")
    assert sleeps == [2.0, 2.0] and info.status == "PENDING" and len(sandbox.registrations) == 1


def test_503_after_every_attempt_raises_with_retry_after(client, sandbox, sleeps, ledger):
    sandbox.faults.start_outage("503.2", retry_after=3)
    with pytest.raises(ServiceUnavailableError) as info:
        client.register(registration(), card_ref="card-1")
    assert (info.value.code, info.value.retry_after) == ("503.2", 3.0) and sleeps == [3.0, 3.0]
    assert ledger.get("card-1") is None and sandbox.registrations == []


def test_a_retry_after_too_long_to_wait_is_raised_at_once(client, sandbox, sleeps):
    sandbox.faults.fail_next("503.1", retry_after=120)
    with pytest.raises(ServiceUnavailableError) as info:
        client.register(registration(), card_ref="card-1")
    assert info.value.retry_after == 120.0 and sleeps == []


def test_get_registration_follows_the_status(client, wallet, running):
    info = client.register(registration(), card_ref="card-1")
    assert client.get_registration(info.id).status == "PENDING"
    wallet.link(wallet.scan(info.welcome_url))
    assert client.get_registration(info.id).is_linked


def test_get_registration_checks_the_id_first(client, sandbox):
    sandbox.faults.fail_next("500.1")
    with pytest.raises(ValidationError, match="regId: must be 26 to 128"):
        client.get_registration("../registrations")
    assert sandbox.faults.take(None) is not None
    with pytest.raises(BadRequestError, match="regId: no such registration"):
        client.get_registration("b" * 36)


def test_welcome_url_is_reused_while_fresh_and_refetched_when_stale(client, sandbox, sandbox_clock, clock, running):
    info = client.register(registration(), card_ref="card-1")
    sandbox.faults.start_outage("503.2", retry_after=60)
    assert client.welcome_url("card-1") == info.welcome_url  # fresh: no request
    sandbox.faults.clear()
    clock.now += WELCOME_URL_TTL + 1
    sandbox_clock.now += 24 * 3600 + 1  # Samsung's copy expired too
    assert httpx.get(info.welcome_url).status_code == 410
    fresh = client.welcome_url("card-1")
    assert fresh != info.welcome_url and httpx.get(fresh).status_code == 200
    with pytest.raises(StoreError, match="no S2P registration"):
        client.welcome_url("card-unknown")


def test_the_stored_registration_is_refreshed_on_a_second_call_once_stale(client, clock, sandbox, wallet):
    info = client.register(registration(), card_ref="card-1")
    wallet.link(wallet.scan(info.welcome_url))
    clock.now += WELCOME_URL_TTL + 1
    assert client.register(registration(), card_ref="card-1").status == "LINKED"


def _expired_client_tls(identity: Any) -> ssl.SSLContext:
    files = identity.files
    ca = CertificateAuthority(load_private_key(files["samsung-ca.key"]), load_certificate(files["samsung-ca.crt"]))
    key = new_rsa_key()
    cert = issue_certificate(
        ca,
        key.public_key(),
        "expired partner",
        client=True,
        not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=10),
        days=1,
    )
    return client_context(certificate=cert_pem(cert), private_key=key_pem(key), server_ca=files["samsung-ca.crt"])


def test_a_refused_client_certificate_leaves_the_card_free(client_factory, identity, ledger, sandbox):
    client = client_factory(tls=_expired_client_tls(identity))
    with pytest.raises(TransportError):
        client.register(registration(), card_ref="card-1")
    # The server refused the TLS session: nothing can have been registered.
    assert ledger.get("card-1") is None and sandbox.registrations == []


@pytest.fixture
def silent_server(identity: Any) -> Iterator[str]:
    """A TLS server that reads the request and hangs up without answering."""
    files = identity.files
    ctx = server_context(
        certificate=files["s2p-server.crt"], private_key=files["s2p-server.key"], client_ca=files["samsung-ca.crt"]
    )
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            try:
                with ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(65536)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{port}/ext/v1"
    stop.set()
    thread.join(2)
    listener.close()


def test_no_answer_after_sending_locks_the_card(partner_tls, ledger, silent_server, sleeps):
    client = S2PClient(
        partner_id=S2P_PARTNER_ID, tls=partner_tls, ledger=ledger, base_url=silent_server, sleep=sleeps.append
    )
    with client, pytest.raises(TransportError, match="no answer"):
        client.register(registration(), card_ref="card-1")
    assert ledger.get("card-1").state == "unknown" and sleeps == []  # a POST is never repeated blindly
    with pytest.raises(RegistrationConflictError, match="forget") as info:
        client.register(registration(), card_ref="card-1")
    assert info.value.state == "unknown"
    assert ledger.forget("card-1")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"partner_id": "4030093436155138240"}, ConfigError, "partner_id"),
        ({"base_url": "http://127.0.0.1:1/ext/v1"}, ConfigError, "https"),
        ({"base_url": "https://s2p.example/ext/v1?x=1"}, ConfigError, "https"),
        ({"tls": "partner-client.crt"}, TypeError, "SSLContext"),
        ({"ledger": "ledger.sqlite3"}, TypeError, "RegistrationLedger"),
        ({"welcome_url_ttl": 0}, ValueError, "welcome_url_ttl"),
    ],
)
def test_configuration_errors(partner_tls, kwargs, error, words):
    base: dict[str, Any] = dict(partner_id=S2P_PARTNER_ID, tls=partner_tls, ledger=RegistrationLedger(":memory:"))
    with pytest.raises(error, match=words):
        S2PClient(**(base | kwargs))


def test_registration_argument_type(client):
    with pytest.raises(TypeError):
        client.register("not a registration", card_ref="card-1")  # type: ignore[arg-type]
