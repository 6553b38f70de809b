"""The coupon campaign email: its button opens the coupon's Data Fetch link in a new window (as a
mail client would), the coupon goes into the sandbox wallet, and the partner hears ADDED."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image
from playwright.sync_api import expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)


def test_email_button_adds_the_coupon(demo: Demo) -> None:
    page = demo.goto("/email/")
    frame_element = page.locator("#email-frame")
    # Rendered as a mail client would: sandboxed, no scripts, no same-origin access.
    assert frame_element.get_attribute("sandbox") == "allow-popups allow-popups-to-escape-sandbox"
    message = page.frame_locator("#email-frame")
    button = message.get_by_role("link", name="Add to Samsung Wallet")
    expect(button).to_be_visible()
    href = button.get_attribute("href") or ""
    assert "#Clip?pdata=" in href and "cdata=" not in href  # never a Data Transmit link in mail
    number = message.locator("text=/Coupon NW-\\d{6}/").inner_text().split()[1].rstrip(".")
    # The button's rounded corners are transparent: the message's white shows through, not the
    # dark background that styles the alt text (square dark corners otherwise).
    image = Image.open(io.BytesIO(button.locator("img").screenshot())).convert("RGB")
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((image.width - 1, image.height - 1)) == (255, 255, 255)
    assert image.getpixel((image.width // 2, 2)) != (255, 255, 255)  # the button itself is there
    demo.doc_screenshot("demo-email")
    with page.context.expect_page() as opened:
        demo.press(button)
    wallet = opened.value
    demo.add_in_wallet(wallet)
    wallet.close()
    row = demo.operator_row(number)
    expect(row.locator(".event")).to_contain_text("ADDED")
    expect(row.locator(".wallet")).to_contain_text("ACTIVE")
