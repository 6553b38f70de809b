"""The operator console's other calls to Samsung's server API, in the browser (desktop): Cancel
Notification, a MIGRATED update, REDEEMED, Batch Update and Get Reference Ids for a screening, card
templates (create, send for review), and a gift card pushed to a Samsung account."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Locator, expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)
pytestmark = pytest.mark.parametrize("device_name", ["desktop"])


def add_from_page(demo: Demo, path: str) -> tuple[str, Locator]:
    """Add the visitor's card of ``path`` to the wallet; its number and operator row."""
    page = demo.goto(path)
    number = page.locator("#card-number").inner_text()
    page.locator("#add-button a.linkkit-button").click()
    demo.add_in_wallet()
    return number, demo.operator_row(number)


def test_cancel_a_boarding_pass(demo: Demo) -> None:
    number, row = add_from_page(demo, "/flight")
    row.get_by_role("button", name="Cancel").click()
    expect(demo.page.locator(".flash")).to_have_text(f"{number}: cancelled.")
    expect(demo.page.locator(f"#card-{number} .wallet")).to_contain_text("CANCELED")
    expect(demo.page.locator(f"#card-{number}").get_by_role("button", name="Change the gate")).to_be_disabled()


def test_migrate_a_gift_card_to_a_new_number(demo: Demo) -> None:
    number, row = add_from_page(demo, "/gift")
    row.get_by_role("button", name="Migrate").click()
    flash = demo.page.locator(".flash")
    expect(flash).to_contain_text(f"{number} moved to NW-")
    new_number = re.findall(r"NW-\d{6}", flash.inner_text())[-1]
    expect(demo.page.locator(f"#card-{number} .wallet")).to_contain_text("MIGRATED")
    # The customer's page follows the migration to the new card.
    page = demo.goto("/gift")
    expect(page.locator("#card-number")).to_have_text(new_number)


def test_redeem_the_email_coupon(demo: Demo) -> None:
    page = demo.goto("/email/")
    message = page.frame_locator("#email-frame")
    number = message.locator("text=/Coupon NW-\\d{6}/").inner_text().split()[1].rstrip(".")
    with page.context.expect_page() as opened:
        message.get_by_role("link", name="Add to Samsung Wallet").click()
    demo.add_in_wallet(opened.value)
    opened.value.close()
    row = demo.operator_row(number)
    row.get_by_role("button", name="Mark redeemed").click()
    expect(page.locator(".flash")).to_have_text(f"{number}: redeemed.")
    expect(page.locator(f"#card-{number} .wallet")).to_contain_text("REDEEMED")


def test_screening_batch_update_and_reference_ids(demo: Demo) -> None:
    number, _row = add_from_page(demo, "/cinema")
    page = demo.page
    page.get_by_role("button", name="Count tickets in wallets (Get Reference Ids)").click()
    expect(page.locator(".flash")).to_contain_text(re.compile(r"Samsung reports [1-9]\d* ticket\(s\)"))
    page.get_by_role("button", name="Move every ticket to Screen 5 (Batch Update)").click()
    expect(page.locator(".flash")).to_contain_text("moved to Screen 5")
    expect(page.locator(f"#card-{number} .wallet")).to_contain_text("entrance Screen 5")


def test_card_template_created_and_sent_for_review(demo: Demo) -> None:
    page = demo.goto("/operator/")
    title = f"Summer Pass {page.evaluate('Date.now() % 100000')}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Card type").select_option("coupon")
    page.get_by_role("button", name="Create template").click()
    expect(page.locator(".flash")).to_contain_text("created")
    item = page.locator("#templates li", has_text=title)
    expect(item).to_contain_text("DRAFT")
    item.get_by_role("button", name="Send for review").click()
    expect(page.locator(".flash")).to_contain_text("sent for review")
    expect(page.locator("#templates li", has_text=title)).to_contain_text("VERIFYING")


def test_gift_card_pushed_to_a_samsung_account(demo: Demo) -> None:
    page = demo.goto("/operator/")
    page.get_by_label("Account email").fill("jo@example.com")
    page.get_by_role("button", name="Send gift card").click()
    flash = page.locator(".flash")
    expect(flash).to_contain_text("sent to the Samsung account of jo@example.com")
    number = re.findall(r"NW-\d{6}", flash.inner_text())[0]
    row = page.locator(f"#card-{number}")
    expect(row.locator(".event")).to_contain_text("ADDED")
    expect(row.locator(".wallet")).to_contain_text("ACTIVE")
