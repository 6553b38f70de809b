"""Member sign-up through a Data Action link: the sandbox wallet asks for the inputs the merchant's
Request Action handler wants (phone, one-time code), the merchant registers a new card, it is added,
and the partner hears ADDED."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)


def test_sign_up_from_the_wallet(demo: Demo) -> None:
    page = demo.goto("/join/")
    otp = page.locator("#demo-otp").inner_text()
    if demo.device == "desktop":
        demo.screenshot("demo-join")
    demo.press(page.locator("#add-button a.linkkit-button"))
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    # People read labels, not the partner's field names; the phone gets the right keyboard.
    phone, code = page.get_by_label("Mobile number"), page.get_by_label("One-time code")
    expect(phone).to_have_attribute("type", "tel")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(page.locator("form.fields")).not_to_contain_text("otp")
    demo.doc_screenshot("demo-join-collect")
    phone.fill("+1 415 555 0100")
    code.fill(otp)
    demo.press(page.get_by_role("button", name="Continue"))
    preview = demo.add_in_wallet()
    expect(preview.locator("[data-attribute=subtitle1]")).to_have_text("New member")
    number = preview.locator(".barcode figcaption").inner_text()
    row = demo.operator_row(number)
    expect(row.locator(".event")).to_contain_text("ADDED")
    expect(row.locator(".merchant")).to_contain_text("100 points, Green")


@pytest.mark.parametrize("device_name", ["desktop"])
def test_wrong_code_is_refused_then_corrected(demo: Demo) -> None:
    page = demo.goto("/join/")
    otp = page.locator("#demo-otp").inner_text()
    page.locator("#add-button a.linkkit-button").click()
    page.get_by_label("Mobile number").fill("+1 415 555 0101")
    page.get_by_label("One-time code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    expect(page.get_by_role("alert")).to_contain_text("4 tries left")
    page.get_by_label("Mobile number").fill("+1 415 555 0101")  # the wallet asks for every input again
    page.get_by_label("One-time code").fill(otp)
    page.get_by_role("button", name="Continue").click()
    demo.add_in_wallet()
