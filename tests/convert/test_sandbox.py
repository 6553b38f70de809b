"""A link built from each converted card opens in the sandbox, as Samsung Wallet would open it.

Data Transmit: the card travels in the link, the sandbox verifies the token, decrypts it and checks the
card with the same validator. Data Fetch: a partner server (real HTTP) holds the converted cards and
the sandbox calls its Get Card Data endpoint with a Samsung-signed AUTH token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.links import fetch_link, transmit_link
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
from linkkit.testing import LocalIdentity, SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.partner.conftest import DictCards

from .conftest import CASES, Case, case_params


@case_params()
def test_a_data_transmit_link_opens_and_verifies(
    case: Case, linkkit_sandbox: SandboxHandle, linkkit_identity: LocalIdentity
) -> None:
    card = case.convert().card
    token = linkkit_identity.partner_signer().card_data_token(card)
    session = linkkit_sandbox.open_link(transmit_link(CARD_ID, token, base=linkkit_sandbox.url))
    assert session["step"] == "preview", session
    assert session["kind"] == "transmit" and session["card"] == card


def test_the_landing_page_shows_a_converted_card(
    linkkit_sandbox: SandboxHandle, linkkit_identity: LocalIdentity
) -> None:
    card = CASES[0].convert().card  # the Apple boarding pass
    token = linkkit_identity.partner_signer().card_data_token(card)
    response = linkkit_sandbox.http.post(
        "/_sandbox/open", data={"link": transmit_link(CARD_ID, token, base=linkkit_sandbox.url)}
    )
    assert response.status_code == 303, response.text
    page = linkkit_sandbox.http.get(response.headers["location"])
    assert page.status_code == 200 and "Skyway Air" in page.text
    assert re.search(r'<form method="post" action="[^"]+/add">', page.text)


@pytest.fixture
def partner(linkkit_identity: LocalIdentity, linkkit_sandbox: SandboxHandle) -> Iterator[DictCards]:
    """A partner server whose Get Card Data answers with the converted cards, by refId."""
    cards: dict[tuple[str, str], Any] = {}
    for case in CASES:
        result = case.convert()
        cards[(CARD_ID, result.ref_id)] = result.card
    source = DictCards(cards)
    store = SQLiteStore(":memory:")
    config = PartnerConfig(
        signer=linkkit_identity.partner_signer(), card_ids={CARD_ID}, endpoints=linkkit_sandbox.endpoints
    )
    app = Flask("convert-partner")
    app.register_blueprint(PartnerServer(config, source, store=store).blueprint())
    with ServerThread(app) as running:
        linkkit_sandbox.set_partner_url(running.url)
        yield source
    store.close()


@case_params()
def test_a_data_fetch_link_opens_through_get_card_data(
    case: Case, linkkit_sandbox: SandboxHandle, partner: DictCards
) -> None:
    result = case.convert()
    session = linkkit_sandbox.open_link(fetch_link(CERTIFICATE_ID, CARD_ID, result.ref_id, base=linkkit_sandbox.url))
    assert session["step"] == "preview", session
    assert session["card"] == result.card
    assert partner.asked[-1][:2] == (CARD_ID, result.ref_id)
    added = linkkit_sandbox.add(session)
    assert added["step"] == "added" and added["partnerStatus"] == [200]
