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
    demo.add_in_wallet()
    if demo.device == "desktop" and slug in ("rewards", "cinema"):
        page.goto(page.url)  # the session page again, for a clean "added" screenshot
        demo.screenshot(f"demo-sandbox-added-{slug}")

    row = demo.operator_row(number)
    expect(row.locator(".event")).to_contain_text("ADDED")
    label, shown = FLOWS[slug]
    demo.press(row.get_by_role("button", name=label))
    expect(page.locator(".flash")).to_contain_text("Samsung was notified and fetched the new card")
    expect(page.locator(f"#card-{number} .wallet")).to_contain_text(shown)
    expect(page.locator(f"#card-{number} .wallet")).to_contain_text("UPDATED")
    if demo.device == "desktop" and slug == "flight":  # the last desktop flow: the console is full
        demo.goto("/operator/")
        demo.screenshot("demo-operator")
