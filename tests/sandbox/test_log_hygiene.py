"""No refId, token, OTP or key in any log line of the partner and sandbox flows, both sides real.

Every link kind is opened on the sandbox against a real partner server, a wrong and a right OTP are
sent, refused tokens are logged, a click-time link is opened and Update Notifications are sent; all log
output (every logger at DEBUG, the access logs of both servers, stdout and stderr) is then searched for
the secrets used. The refIds are short on purpose: a short refId has no shape a filter could find, so
only the path and query rules keep it out of the access lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.clients.wallet import CardUpdate, WalletClient
from linkkit.links import action_link, fetch_link, transmit_link
from linkkit.partner import (
    CHECK_ELIGIBILITY,
    USER_AUTH,
    ActionContext,
    ActionRegistry,
    ActionResult,
    ClickLinks,
    PartnerConfig,
    PartnerServer,
    SQLiteStore,
    WalletNotifier,
    ask_user,
    register,
    reject,
)
from linkkit.testing import LocalIdentity, SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.log_capture import all_log_output, leaks, pem_bodies
from tests.partner.conftest import DictCards, card_for

OTP = "480917"
WRONG_OTP = "735102"
PHONE = "+15550199887"
# Short refIds, one per flow (a leak names the flow).
FETCHED, TRANSMITTED, REGISTERED, CLICKED, REFUSED = "q7Fetch1", "q7Trans2", "q7Regis3", "q7Click4", "q7Refus5"


@dataclasses.dataclass
class Partner:
    url: str
    server: PartnerServer
    store: SQLiteStore
    signer: Any
    click_links: ClickLinks


@pytest.fixture
def partner(
    linkkit_identity: LocalIdentity, linkkit_sandbox: SandboxHandle, tmp_path: Path, loyalty_card: dict[str, Any]
) -> Iterator[Partner]:
    cards = DictCards({(CARD_ID, ref): card_for(loyalty_card, ref) for ref in (FETCHED, CLICKED)})
    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        return ask_user(["phone", "otp"], message="Enter the code we sent")

    @actions.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        if ctx.inputs.get("otp") != OTP:
            return reject("AUTH_FAILED", "wrong code", action_type=USER_AUTH)
        return register(card=card_for(loyalty_card, REGISTERED))

    store = SQLiteStore(":memory:")
    config = PartnerConfig(
        signer=linkkit_identity.partner_signer(), card_ids={CARD_ID}, endpoints=linkkit_sandbox.endpoints
    )
    click_links = ClickLinks(store=store, secrets=b"h" * 32, base_url="http://127.0.0.1/w")
    server = PartnerServer(config, cards, store=store, actions=actions, click_links=click_links)
    app = Flask("log-hygiene")
    app.register_blueprint(server.blueprint())
    with ServerThread(app) as running:
        linkkit_sandbox.set_partner_url(running.url)
        yield Partner(running.url, server, store, config.signer, click_links)
    store.close()


def test_no_secret_in_any_log_line(
    linkkit_sandbox: SandboxHandle,
    partner: Partner,
    loyalty_card: dict[str, Any],
    capfd: pytest.CaptureFixture[str],
) -> None:
    base = linkkit_sandbox.url
    tokens: list[str] = []
    with all_log_output() as lines:
        # Data Fetch link: Get Card Data, then Add and Send Card State.
        session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, FETCHED, base=base))
        assert linkkit_sandbox.add(session)["step"] == "added"
        # Data Transmit link: the card travels in the link.
        tokens.append(partner.signer.card_data_token(card_for(loyalty_card, TRANSMITTED)))
        session = linkkit_sandbox.open_link(transmit_link(CARD_ID, tokens[-1], base=base))
        assert linkkit_sandbox.add(session)["step"] == "added"
        # Data Action link: a wrong OTP, then the right one.
        session = linkkit_sandbox.open_link(action_link(CERTIFICATE_ID, CARD_ID, base=base))
        wrong = linkkit_sandbox.user_auth(session, {"phone": PHONE, "otp": WRONG_OTP})
        assert wrong["error"]["code"] == "AUTH_FAILED"
        right = linkkit_sandbox.user_auth(session, {"phone": PHONE, "otp": OTP})
        assert linkkit_sandbox.add(right)["step"] == "added"
        # Refused tokens: a stale card token, and the partner refusing Samsung's tokens.
        stale = dataclasses.replace(partner.signer, clock=lambda: 1_000_000.0)
        tokens.append(stale.card_data_token(card_for(loyalty_card, REFUSED)))
        assert linkkit_sandbox.open_link(transmit_link(CARD_ID, tokens[-1], base=base))["step"] == "error"
        with linkkit_sandbox.faults.inject("bad_signature"):
            session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, REFUSED, base=base))
        assert session["step"] == "error"
        # A click-time link, opened twice (the second is spent), and one that never existed.
        tokens.append(partner.click_links.create(CARD_ID, CLICKED, channel="email").rsplit("/", 1)[1])
        url = f"{partner.url}/w/{tokens[-1]}"
        for _ in range(2):
            httpx.get(url, follow_redirects=False)
        httpx.get(url[:-4] + "AAAA", follow_redirects=False)
        # Update Notifications to the callbacks Send Card State stored.
        with WalletClient(partner.signer, linkkit_sandbox.endpoints) as client:
            notifier = WalletNotifier(client, partner.store, callback_allow_list=partner.server.config.callbacks)
            notifier.update(CARD_ID, "loyalty", [CardUpdate(FETCHED, "UPDATED"), CardUpdate(TRANSMITTED, "EXPIRED")])
    out = capfd.readouterr()
    text = "\n".join(lines) + "\n" + out.out + "\n" + out.err
    assert "GET /cards/" in text and "POST /cards/" in text and "/w/" in text  # the access lines were captured
    found = leaks(
        text,
        {
            "refId": [FETCHED, TRANSMITTED, REGISTERED, CLICKED, REFUSED],
            "token": tokens,
            "otp": [OTP, WRONG_OTP],
            "phone": [PHONE],
            "key": pem_bodies(linkkit_sandbox.identity.files),
        },
    )
    assert not found, "\n".join(found)
