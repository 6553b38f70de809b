"""Partner servers on real sockets for the probe to grade: linkkit's own PartnerServer (Flask, under
``/samsung``) and the independent one of :mod:`tests.probe.broken_partner`; both count the requests
they receive, so tests can hold the probe to its budget."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.partner import (
    CHECK_ELIGIBILITY,
    USER_AUTH,
    ActionContext,
    ActionRegistry,
    ActionResult,
    PartnerConfig,
    PartnerServer,
    SQLiteStore,
    ask_user,
    register,
    reject,
)
from linkkit.probe import ProbeConfig, ProbeIdentity
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.probe.broken_partner import MOUNT, BrokenPartner

REF_ID = "probe-test-card-0001"
OTP = "135790"


class Counting:
    """WSGI middleware counting the requests that reach ``app``."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.requests += 1
        return self.app(environ, start_response)


@dataclass
class LivePartner:
    url: str
    counter: Counting | BrokenPartner
    events: list[Any]

    @property
    def requests(self) -> int:
        return self.counter.requests


def card_with_ref(base: dict[str, Any], ref_id: str) -> dict[str, Any]:
    card = copy.deepcopy(base)
    card["card"]["data"][0]["refId"] = ref_id
    return card


@pytest.fixture
def probe_identity(identity: Identity) -> ProbeIdentity:
    return ProbeIdentity.from_files(
        samsung_key=identity.files["samsung.key"],
        partner_cert=identity.files["partner.crt"],
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
    )


@pytest.fixture
def request_ids() -> Callable[[], str]:
    """Request ids that read well in a report: probe-0001, probe-0002, ..."""
    counter = itertools.count(1)
    return lambda: f"probe-{next(counter):04d}"


@pytest.fixture
def probe_config(probe_identity: ProbeIdentity) -> Callable[..., ProbeConfig]:
    def make(base_url: str, **overrides: Any) -> ProbeConfig:
        settings: dict[str, Any] = {
            "base_url": base_url,
            "card_id": CARD_ID,
            "ref_id": REF_ID,
            "identity": probe_identity,
            "timeout": 10.0,
        }
        settings.update(overrides)
        return ProbeConfig(**settings)

    return make


def _actions(card: dict[str, Any]) -> ActionRegistry:
    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        return ask_user(["otp"])

    @actions.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        if ctx.inputs.get("otp") != OTP:
            return reject("AUTH_FAILED", "wrong code")
        return register(card=card_with_ref(card, f"member-{ctx.ref_id[:12]}"))

    return actions


@pytest.fixture
def linkkit_partner(identity: Identity, loyalty_card: dict[str, Any]) -> Iterator[LivePartner]:
    """linkkit's PartnerServer with Request Action, mounted at /samsung in Flask, on a real socket."""
    card = card_with_ref(loyalty_card, REF_ID)

    class Cards:
        def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> dict[str, Any] | None:
            return card if ref_id == REF_ID else None

    signer = TokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=identity.partner_key,
        samsung_public_key=identity.samsung_cert.public_key(),  # type: ignore[arg-type]
    )
    store = SQLiteStore(":memory:")
    events: list[Any] = []
    server = PartnerServer(
        PartnerConfig(signer=signer, card_ids={CARD_ID}),
        Cards(),
        store=store,
        actions=_actions(card),
        on_event=events.append,
    )
    app = Flask("probe-test-partner")
    app.register_blueprint(server.blueprint(url_prefix="/samsung"))
    counter = Counting(app.wsgi_app)
    app.wsgi_app = counter  # type: ignore[method-assign]
    with ServerThread(app) as live:
        yield LivePartner(f"{live.url}/samsung", counter, events)
    store.close()


@pytest.fixture
def broken_partner(identity: Identity, loyalty_card: dict[str, Any]) -> Iterator[Callable[..., LivePartner]]:
    """Starts :class:`BrokenPartner` with the flaws asked for; stops every one at the end."""
    servers: list[ServerThread] = []

    def start(*flaws: str) -> LivePartner:
        app = BrokenPartner(
            files=identity.files,
            partner_id=PARTNER_ID,
            certificate_id=CERTIFICATE_ID,
            card_id=CARD_ID,
            cards={REF_ID: card_with_ref(loyalty_card, REF_ID)},
            flaws=flaws,
            otp=OTP,
        )
        server = ServerThread(app).start()
        servers.append(server)
        return LivePartner(server.url + MOUNT, app, app.events)

    yield start
    for server in servers:
        server.stop()
