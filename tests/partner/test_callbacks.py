"""Callbacks only to Samsung: Send Card State refuses a callback off the allow-list, and the notifier
checks every stored callback again before it sends a partner-signed notification there.

The body of Send Card State is not signed by Samsung (its AUTH token binds the method and the path),
so a replayed or raced token could otherwise point a card's notifications at any host."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import httpx
import pytest
from flask import Flask, request

from linkkit._serving import ServerThread
from linkkit._urls import URLAllowList
from linkkit.clients.wallet import CardUpdate, WalletClient
from linkkit.config import Endpoints
from linkkit.errors import UnsafeURLError
from linkkit.partner import CardEventRecord, PartnerConfig, PartnerServer, WalletNotifier
from linkkit.partner.callbacks import default_callback_allow_list
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, FrozenClock
from tests.partner.conftest import ATW_BASE, AnyStore, DictCards, Live

CARD_PATH = f"/cards/{CARD_ID}/ref-1"
ADDED = {"cc2": "US", "event": "ADDED"}

#: Hostile callbacks an attacker with a replayed token would send, and the code each is refused with.
HOSTILE = [
    ("https://attacker.example", "callback_not_allowed"),
    ("https://attacker.example/wltex", "callback_not_allowed"),
    ("http://us-tsapi.walletsvc.samsung.com", "callback_not_allowed"),  # plain http to Samsung's name
    ("https://us-tsapi.walletsvc.samsung.com:8443", "callback_not_allowed"),  # another port
    ("https://walletsvc.samsung.com.attacker.example", "callback_not_allowed"),
    ("https://attackerwalletsvc.samsung.com", "callback_not_allowed"),
    ("https://203.0.113.7", "callback_not_allowed"),
    ("https://user@evil.example", "invalid_callback"),
    ("https://us-tsapi.walletsvc.samsung.com@evil.example", "invalid_callback"),
    ("http://[::1", "invalid_callback"),
    ("https://us-tsapi.walletsvc.samsung.com\r\nX-Evil: 1", "invalid_callback"),
    ("https://evil.example\n.walletsvc.samsung.com", "invalid_callback"),
    ("https://evil.example#.walletsvc.samsung.com", "invalid_callback"),
    ("https://us-tsapi.walletsvc.samsung.com/?to=evil", "invalid_callback"),
    ("https://evil.example\\.walletsvc.samsung.com", "invalid_callback"),
    ("javascript:alert(1)", "invalid_callback"),
    ("https://us-tsapi.walletsvc.samsung.com/" + "a" * 1024, "invalid_callback"),
    ("", "invalid_callback"),
]


@pytest.mark.parametrize(("callback", "code"), HOSTILE)
def test_send_card_state_refuses_a_callback_off_the_allow_list(
    live: Live, store: AnyStore, callback: str, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = live.call("POST", CARD_PATH, query=ADDED, json={"callback": callback})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == code
    assert response.json()["message"].startswith("callback: ")
    assert store.events() == [] and store.card_status(CARD_ID, "ref-1") is None
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "callback refused" in logged
    if callback:
        assert callback not in logged and "evil" not in logged and "attacker" not in logged


@pytest.mark.parametrize(
    "callback",
    [
        "https://us-tsapi.walletsvc.samsung.com",
        "https://tsapi-card.walletsvc.samsung.com/",
        "https://eu-tsapi.walletsvc.samsung.com/base",
        ATW_BASE,  # the configured environment's server API (a local sandbox)
    ],
)
def test_samsung_hosts_and_the_configured_environment_are_accepted(live: Live, store: AnyStore, callback: str) -> None:
    assert live.call("POST", CARD_PATH, query=ADDED, json={"callback": callback}).status_code == 200
    status = store.card_status(CARD_ID, "ref-1")
    assert status is not None and status.callback == callback.rstrip("/")


def test_the_allow_list_is_configurable(
    signer: TokenSigner, clock: FrozenClock, cards: DictCards, store: AnyStore, samsung_signer: TokenSigner
) -> None:
    config = PartnerConfig(
        signer=signer,
        card_ids={CARD_ID},
        clock=clock,
        endpoints=Endpoints.sandbox(ATW_BASE),
        callback_allow_list=URLAllowList(hosts=("wallet-staging.example.com",)),
    )
    app = Flask("partner-callbacks")
    app.register_blueprint(PartnerServer(config, cards, store=store).blueprint())
    with ServerThread(app) as server:
        client = Live(server.url, samsung_signer)
        ok = client.call("POST", CARD_PATH, query=ADDED, json={"callback": "https://wallet-staging.example.com"})
        refused = client.call(
            "POST", CARD_PATH, query=ADDED, json={"callback": "https://us-tsapi.walletsvc.samsung.com"}
        )
        client.http.close()
    assert ok.status_code == 200
    assert refused.status_code == 400 and refused.json()["code"] == "callback_not_allowed"


def test_the_default_list_follows_the_configured_environment() -> None:
    production = default_callback_allow_list(Endpoints())
    assert production.hosts == ("*.walletsvc.samsung.com", "tsapi-card.walletsvc.samsung.com")
    local = default_callback_allow_list(Endpoints.sandbox("http://127.0.0.1:8800"))
    assert local.origins == ("http://127.0.0.1:8800",)
    staging = default_callback_allow_list(Endpoints(wallet_api_url="https://api.stg.example.com"))
    assert "api.stg.example.com" in staging.hosts


# -- the notifier, at send time ----------------------------------------------------------------------


class Receiver:
    """A real HTTP server standing in for Samsung's server API: it records every notification."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._lock = threading.Lock()
        app = Flask("samsung-api")

        @app.post("/<path:path>")
        def notified(path: str) -> tuple[str, int]:
            with self._lock:
                self.paths.append(request.path)
            return "", 200

        self.app = app


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    made = Receiver()
    with ServerThread(made.app) as server:
        yield made, server.url


def _stored(store: AnyStore, ref_id: str, callback: str | None, at: float) -> None:
    """A row as an older linkkit (or a hand-edited database) stored it: no check on the way in."""
    assert store.record_event(
        CardEventRecord(
            card_id=CARD_ID,
            ref_id=ref_id,
            event="ADDED",
            cc2="US",
            callback=callback,
            request_id=f"rid-{ref_id}",
            received_at=at,
        )
    )


def test_the_notifier_refuses_stored_bad_callbacks_and_sends_the_rest(
    store: AnyStore, signer: TokenSigner, receiver: tuple[Receiver, str]
) -> None:
    samsung, url = receiver
    bad = {f"bad-{i}": value for i, (value, _) in enumerate(HOSTILE) if value}
    _stored(store, "good-1", url, 1.0)
    for i, (ref_id, value) in enumerate(bad.items()):
        _stored(store, ref_id, value, 2.0 + i)
    _stored(store, "good-2", url + "/", 100.0)
    updates = [CardUpdate(ref, "UPDATED") for ref in ("good-1", *bad, "good-2")]
    # every transport goes through a counting hook: nothing may even be attempted for a bad row
    attempted: list[str] = []
    http = httpx.Client(timeout=5.0, event_hooks={"request": [lambda r: attempted.append(str(r.url))]})
    with WalletClient(signer, Endpoints.sandbox(url), http=http) as client:
        report = WalletNotifier(client, store).update(CARD_ID, "loyalty", updates)
    http.close()
    assert [a.status for a in report.accepted] == [200]  # good-1 and good-2 share one destination
    assert samsung.paths == [f"/wltex/cards/{CARD_ID}/updates"]
    assert all(a.startswith(url) for a in attempted) and len(attempted) == 1
    assert {r.ref_id for r in report.refused} == set(bad)
    codes = {r.ref_id: r.code for r in report.refused}
    assert codes["bad-0"] == "callback_not_allowed" and codes["bad-9"] == "invalid_callback"
    assert all(r.message.startswith("callback: ") for r in report.refused)
    assert report.unknown == ()


def test_the_notifier_uses_the_partners_configured_list(
    store: AnyStore, signer: TokenSigner, receiver: tuple[Receiver, str]
) -> None:
    samsung, url = receiver
    _stored(store, "ref-1", url, 1.0)
    with WalletClient(signer, Endpoints()) as client:  # production endpoints: the local URL is not Samsung's
        assert WalletNotifier(client, store).update(CARD_ID, "loyalty", [CardUpdate("ref-1", "UPDATED")]).refused
        allowed = WalletNotifier(client, store, callback_allow_list=URLAllowList(origins=(url,)))
        report = allowed.update(CARD_ID, "loyalty", [CardUpdate("ref-1", "UPDATED")])
    assert [a.status for a in report.accepted] == [200] and report.refused == ()
    assert samsung.paths == [f"/wltex/cards/{CARD_ID}/updates"]


@pytest.mark.parametrize(
    "callback", ["http://[::1", "https://user@evil.example", "https://a.example\r\nX: 1", "https://a.example/?q"]
)
def test_the_wallet_client_refuses_a_malformed_callback_in_the_linkkit_tree(signer: TokenSigner, callback: str) -> None:
    with WalletClient(signer, Endpoints.sandbox("http://127.0.0.1:9")) as client:
        with pytest.raises(UnsafeURLError) as caught:
            client.update_notification(CARD_ID, "loyalty", [CardUpdate("ref-1", "UPDATED")], callback=callback)
    assert str(caught.value).startswith("callback: ")


def test_an_url_httpx_cannot_send_to_is_an_unsafe_url_error_not_invalid_url() -> None:
    from linkkit.clients._http import NO_RETRY, send

    with httpx.Client() as http:
        with pytest.raises(UnsafeURLError):
            send(http, lambda attempt: http.build_request("GET", "http://[::1"), operation="probe", retry=NO_RETRY)
