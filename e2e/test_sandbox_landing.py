"""In Chromium: open Data Transmit and Data Fetch links on the sandbox's landing page, see the card,
press "Add to Samsung Wallet", and the partner server receives Send Card State ADDED."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from linkkit.cards import Barcode, loyalty_card
from linkkit.links import fetch_link, transmit_link
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
from linkkit.testing import LocalIdentity, SandboxHandle, ServerThread
from linkkit.tokens import TokenSigner


def _card(ref_id: str, barcode: Barcode | None = None) -> dict[str, Any]:
    return dict(
        loyalty_card(
            ref_id=ref_id,
            title="Gold <Member>",
            provider_name="Coffee & Co",
            app_link_logo="https://example.com/logo.png",
            app_link_name="Coffee & Co",
            app_link_data="https://example.com/app",
            barcode=barcode or Barcode(value="1234567890", serial_type="QRCODE", pt_format="QRCODESERIAL"),
        )
    )


class Cards:
    def __init__(self) -> None:
        self.cards = {
            "ref-fetch-1": _card("ref-fetch-1"),
            "ref-code128": _card("ref-code128", Barcode(value="CARD-0042", serial_type="BARCODE")),
        }

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        return self.cards.get(ref_id)


@dataclass
class Partner:
    url: str
    store: SQLiteStore
    signer: TokenSigner


@pytest.fixture
def partner(linkkit_sandbox: SandboxHandle, linkkit_identity: LocalIdentity, tmp_path: Path) -> Iterator[Partner]:
    signer = linkkit_identity.partner_signer()
    store = SQLiteStore(tmp_path / "partner.sqlite3")
    config = PartnerConfig(signer=signer, card_ids={linkkit_identity.card_id}, endpoints=linkkit_sandbox.endpoints)
    app = Flask("e2e-partner")
    app.register_blueprint(PartnerServer(config, Cards(), store=store).blueprint())
    with ServerThread(app) as server:
        linkkit_sandbox.set_partner_url(server.url)
        yield Partner(server.url, store, signer)
    store.close()


def _add_and_check(page: Page, partner: Partner, card_id: str, ref_id: str, errors: list[str]) -> None:
    card = page.get_by_role("article", name="Card preview")
    expect(card).to_contain_text("Gold <Member>")  # shown as text: escaped, not markup
    expect(card).to_contain_text("Coffee & Co")
    expect(card.locator(".barcode figcaption")).to_have_text("1234567890")
    assert re.search(r"/_sandbox/s/[\w-]+$", page.url), "the fragment is gone from the address bar"
    page.get_by_role("button", name="Add to Samsung Wallet").click()
    expect(page.get_by_role("status")).to_have_text("Added to Samsung Wallet")
    status = partner.store.card_status(card_id, ref_id)
    assert status is not None and status.event == "ADDED"
    assert errors == []


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(message: Any) -> None:
        # The card's images live on example.com, which the test browser may not resolve (offline).
        if message.type == "error" and "ERR_NAME_NOT_RESOLVED" not in message.text:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_a_data_transmit_link_in_the_browser(page: Page, linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    errors = _console_errors(page)
    card_id = linkkit_sandbox.identity.card_id
    link = transmit_link(card_id, partner.signer.card_data_token(_card("ref-transmit-1")), base=linkkit_sandbox.url)
    page.goto(link)
    _add_and_check(page, partner, card_id, "ref-transmit-1", errors)
    [wallet_card] = linkkit_sandbox.cards()
    assert wallet_card["refId"] == "ref-transmit-1" and wallet_card["source"] == "transmit"


def test_a_data_fetch_link_in_the_browser(page: Page, linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    errors = _console_errors(page)
    identity = linkkit_sandbox.identity
    page.goto(fetch_link(identity.certificate_id, identity.card_id, "ref-fetch-1", base=linkkit_sandbox.url))
    _add_and_check(page, partner, identity.card_id, "ref-fetch-1", errors)
    assert [c["status"] for c in linkkit_sandbox.calls(api="get_card_data")] == [200]


def test_a_stale_link_shows_why_samsung_would_refuse_it(
    page: Page, linkkit_sandbox: SandboxHandle, partner: Partner
) -> None:
    import dataclasses
    import time

    old = dataclasses.replace(partner.signer, clock=lambda: time.time() - 45)
    page.goto(
        transmit_link(linkkit_sandbox.identity.card_id, old.card_data_token(_card("ref-old")), base=linkkit_sandbox.url)
    )
    expect(page.locator(".error")).to_have_attribute("data-code", "expired")
    expect(page.get_by_role("button", name="Add to Samsung Wallet")).to_have_count(0)


@pytest.mark.parametrize(
    ("ref_id", "symbology", "zbar_symbol", "value"),
    [
        ("ref-fetch-1", "qrcode", ZBarSymbol.QRCODE, "1234567890"),
        ("ref-code128", "code128", ZBarSymbol.CODE128, "CARD-0042"),
    ],
)
def test_the_preview_draws_a_barcode_that_scans(
    page: Page,
    linkkit_sandbox: SandboxHandle,
    partner: Partner,
    ref_id: str,
    symbology: str,
    zbar_symbol: ZBarSymbol,
    value: str,
) -> None:
    identity = linkkit_sandbox.identity
    page.goto(fetch_link(identity.certificate_id, identity.card_id, ref_id, base=linkkit_sandbox.url))
    figure = page.locator("figure.barcode")
    expect(figure).to_have_attribute("data-symbology", symbology)
    expect(figure.locator("figcaption")).to_have_text(value)
    # What Chromium painted, read by zbar: the symbol on screen scans to the card's value.
    shot = Image.open(io.BytesIO(figure.locator("svg").screenshot())).convert("L")
    assert [s.data.decode() for s in zbar_decode(shot, symbols=[zbar_symbol])] == [value]
