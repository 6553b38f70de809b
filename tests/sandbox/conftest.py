"""Both sides for real: the sandbox (as Samsung) and a partner server, each on 127.0.0.1.

The sandbox fixtures come from the linkkit pytest plugin (``linkkit.testing``), exactly as users
get them; the identity is the session one of ``tests/conftest.py`` so no extra keys are generated.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.cards import ticket_card
from linkkit.identity import IdentityIds
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
    ask_user,
    register,
    reject,
)
from linkkit.testing import LocalIdentity, SandboxHandle, linkkit_sandbox, linkkit_sandbox_server
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.partner.conftest import DictCards, card_for

__all__ = ["linkkit_sandbox", "linkkit_sandbox_server"]  # the plugin's fixtures, used here by name


@pytest.fixture(scope="session")
def linkkit_identity(identity: Identity) -> LocalIdentity:
    return LocalIdentity(
        ids=IdentityIds(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, card_id=CARD_ID),
        files=identity.files,
        partner_key=identity.partner_key,
        partner_cert=identity.partner_cert,
        samsung_key=identity.samsung_key,
        samsung_cert=identity.samsung_cert,
    )


def ticket(ref_id: str, event_id: str, title: str = "Concert") -> dict[str, Any]:
    return dict(
        ticket_card(
            ref_id=ref_id,
            title=title,
            main_img="https://example.com/main.png",
            logo_image="https://example.com/logo.png",
            provider_name="Hall",
            logo_image_dark_url="https://example.com/d.png",
            logo_image_light_url="https://example.com/l.png",
            sub_type="performances",
            created_at=1_795_000_000_000,
            event_id=event_id,
        )
    )


@dataclass
class Partner:
    url: str
    server: PartnerServer
    store: SQLiteStore
    cards: DictCards
    signer: TokenSigner


@pytest.fixture
def partner(
    linkkit_identity: LocalIdentity, linkkit_sandbox: SandboxHandle, tmp_path: Path, loyalty_card: dict[str, Any]
) -> Iterator[Partner]:
    """A partner server with two cards and a Request Action registry, wired to the sandbox."""
    signer = linkkit_identity.partner_signer()
    cards = DictCards(
        {
            (CARD_ID, "ref-1"): card_for(loyalty_card, "ref-1"),
            (CARD_ID, "ref-2"): card_for(loyalty_card, "ref-2"),
            (CARD_ID, "tk-1"): ticket("tk-1", "event-9"),
            (CARD_ID, "tk-2"): ticket("tk-2", "event-9"),
        }
    )
    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        return ask_user(["phone", "otp"], message="Enter the code we sent")

    @actions.on(USER_AUTH)
    def authenticate(ctx: ActionContext) -> ActionResult:
        if ctx.inputs.get("otp") != "123456":
            return reject("AUTH_FAILED", "wrong code", action_type=USER_AUTH)
        if ctx.inputs.get("phone") == "by-ref":
            return register(ref_id="ref-2")
        return register(card=card_for(loyalty_card, "ref-member"))

    store = SQLiteStore(":memory:")
    config = PartnerConfig(signer=signer, card_ids={CARD_ID}, endpoints=linkkit_sandbox.endpoints)
    click_links = ClickLinks(store=store, secrets=b"c" * 32, base_url="http://127.0.0.1/w")
    server = PartnerServer(config, cards, store=store, actions=actions, click_links=click_links)
    app = Flask("partner-under-test")
    app.register_blueprint(server.blueprint())
    with ServerThread(app) as running:
        linkkit_sandbox.set_partner_url(running.url)
        yield Partner(running.url, server, store, cards, signer)
    store.close()


def fresh(card: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(card)
