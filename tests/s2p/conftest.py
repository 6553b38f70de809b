"""Fixtures for the Save to Pay tests: a partner notification endpoint and a sandbox S2P server, both
on real sockets with mutual TLS, and an S2P client wired to them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from linkkit._serving import ServerThread
from linkkit.clients._http import RetryPolicy
from linkkit.clients.s2p import S2PClient
from linkkit.partner.s2p import NotificationHandler, create_notifications_app, notifications_tls_context
from linkkit.partner.s2p_store import NotificationStore
from linkkit.s2p import Notification, Registration, RegistrationLedger
from linkkit.sandbox.s2p import RunningS2PSandbox, S2PSandbox, SimulatedWallet, create_s2p_sandbox
from linkkit.tls import client_context
from tests.conftest import S2P_PARTNER_ID, FrozenClock, Identity

__all__ = ["S2P_PARTNER_ID"]  # the tests import it from here

BLOB = "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.issuer-blob-for-device"


def registration(**overrides: Any) -> Registration:
    fields: dict[str, Any] = dict(
        card_name="Acme Platinum",
        card_art_url="https://bank.example/art.png",
        partner_name="Acme Bank",
        partner_logo_url="https://bank.example/logo.png",
    )
    fields.update(overrides)
    return Registration(**fields)


@dataclass
class Partner:
    """The partner's notification endpoint, and what its issuer hook saw."""

    url: str
    store: NotificationStore
    handler: NotificationHandler
    issued: list[Notification] = field(default_factory=list)
    events: list[Notification] = field(default_factory=list)
    #: Replace to change what the issuer hook does.
    issuer: Callable[[Notification], str | None] = lambda _n: BLOB


@pytest.fixture(scope="session")
def _partner_server(identity: Identity) -> Iterator[Partner]:
    holder: list[Partner] = []
    lock = threading.Lock()

    def issuer(n: Notification) -> str | None:
        with lock:
            holder[0].issued.append(n)
        return holder[0].issuer(n)

    def on_event(n: Notification) -> None:
        with lock:
            holder[0].events.append(n)

    store = NotificationStore(":memory:")
    handler = NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=issuer, store=store, on_event=on_event)
    files = identity.files
    context = notifications_tls_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        s2p_client_ca=files["partner-ca.crt"],
    )
    # One server for the whole session (servers take ~0.1 s to stop); state is reset per test.
    with ServerThread(create_notifications_app(handler), ssl_context=context) as server:
        holder.append(Partner(url=server.url, store=store, handler=handler))
        yield holder[0]


@pytest.fixture
def partner(_partner_server: Partner) -> Partner:
    p = _partner_server
    p.store = p.handler.store = NotificationStore(":memory:")
    p.issued.clear()
    p.events.clear()
    p.issuer = lambda _n: BLOB
    return p


_SANDBOX_CLOCK = FrozenClock()


@pytest.fixture(scope="session")
def _sandbox_session(identity: Identity, _partner_server: Partner) -> Iterator[tuple[S2PSandbox, RunningS2PSandbox]]:
    box = create_s2p_sandbox(
        identity.files,
        partner_id=S2P_PARTNER_ID,
        partner_notification_url=_partner_server.url,
        clock=_SANDBOX_CLOCK,
        poll_interval_ms=100,
        notify_sleep=lambda _s: None,
    )
    with box.serve() as r:
        yield box, r
    box.close()


@pytest.fixture
def sandbox_clock() -> FrozenClock:
    _SANDBOX_CLOCK.now = FrozenClock().now
    return _SANDBOX_CLOCK


@pytest.fixture
def sandbox(
    _sandbox_session: tuple[S2PSandbox, RunningS2PSandbox], partner: Partner, sandbox_clock: FrozenClock
) -> S2PSandbox:
    box = _sandbox_session[0]
    box.reset()
    return box


@pytest.fixture
def running(_sandbox_session: tuple[S2PSandbox, RunningS2PSandbox], sandbox: S2PSandbox) -> RunningS2PSandbox:
    return _sandbox_session[1]


@pytest.fixture
def partner_tls(identity: Identity) -> Any:
    files = identity.files
    return client_context(
        certificate=files["partner-client.crt"],
        private_key=files["partner-client.key"],
        server_ca=files["samsung-ca.crt"],
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[RegistrationLedger]:
    book = RegistrationLedger(tmp_path / "s2p-ledger.sqlite3")
    yield book
    book.close()


@pytest.fixture
def client_factory(
    running: RunningS2PSandbox, partner_tls: Any, ledger: RegistrationLedger, sleeps: list[float], clock: FrozenClock
) -> Iterator[Callable[..., S2PClient]]:
    made: list[S2PClient] = []

    def make(**overrides: Any) -> S2PClient:
        kwargs: dict[str, Any] = dict(
            partner_id=S2P_PARTNER_ID,
            tls=partner_tls,
            ledger=ledger,
            base_url=running.api_url,
            clock=clock,
            sleep=sleeps.append,
            retry=RetryPolicy(attempts=3, backoff=0.01, jitter=0),
        )
        kwargs.update(overrides)
        made.append(S2PClient(**kwargs))
        return made[-1]

    yield make
    for c in made:
        c.close()


@pytest.fixture
def client(client_factory: Callable[..., S2PClient]) -> S2PClient:
    return client_factory()


@pytest.fixture
def wallet() -> Iterator[SimulatedWallet]:
    w = SimulatedWallet()
    yield w
    w.close()
