"""Loyalty, gift card, movie ticket and boarding pass: from the merchant's page into the sandbox
wallet, the partner hearing ADDED, and an operator update changing the wallet; on all four devices.

Desktop opens the link its QR code decodes to (the sandbox wallet stands in for the phone);
phones and the tablet tap the button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)

#: page, update button, what the wallet shows after the update
FLOWS = {
    "rewards": ("Add 100 points", "balance 1350 points"),
    "gift": ("Charge $5.00", "balance $45.00"),
    "cinema": ("Move to Screen 5", "entrance Screen 5"),
    "flight": ("Change the gate", "gate C12"),
}


@pytest.mark.parametrize("slug", list(FLOWS))
def test_card_into_the_wallet_then_updated_by_the_operator(demo: Demo, slug: str) -> None:
    page = demo.goto(f"/{slug}")
    number = page.locator("#card-number").inner_text()
    button = page.locator("#add-button a.linkkit-button")
    expect(button).to_be_visible()
    if demo.device == "desktop":
        link = demo.qr_link()
        # A Data Fetch link goes straight to the wallet; a click-time link is the partner's own URL.
        assert link == button.get_attribute("href")
        page.goto(link)
    else:
        demo.press(button)
    preview = demo.add_in_wallet()
    if slug == "cinema":  # dates under words, not attribute names
        expect(preview.locator("dt[data-attribute=startDate]")).to_have_text("Starts")
    if slug == "rewards":
        page.goto(page.url)  # the session page again, for a clean "added" screenshot
        demo.doc_screenshot("demo-sandbox-added")
        # The next step the page offers: the card as the simulated wallet holds it now.
        demo.press(page.get_by_role("link", name="See the card in the simulated wallet"))
        card = page.locator("article.just-added")
        expect(card).to_have_count(1)
        expect(card.locator("[data-attribute=balance] + dd")).to_have_text("1250 points")
        expect(card.locator(".kind")).to_contain_text("ACTIVE")
        demo.doc_screenshot("demo-sandbox-wallet")
        wallet_url = page.url

    row = demo.operator_row(number)
    expect(row.locator(".event")).to_contain_text("ADDED")
    label, shown = FLOWS[slug]
    demo.press(row.get_by_role("button", name=label))
    expect(page.locator(".flash")).to_contain_text("Samsung was notified and fetched the new card")
    expect(page.locator(f"#card-{number} .wallet")).to_contain_text(shown)
    expect(page.locator(f"#card-{number} .wallet")).to_contain_text("UPDATED")
    if slug == "rewards":
        # Reloaded, the simulated wallet shows the operator's update; its back link leads home.
        page.goto(wallet_url)
        expect(page.locator("article.just-added [data-attribute=balance] + dd")).to_have_text("1350 points")
        demo.press(page.locator("#back-to-partner"))
        expect(page).to_have_url(demo.urls.demo + "/")
