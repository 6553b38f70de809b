"""Save to Samsung Pay on the demo's pay page: the card is registered over mutual TLS, the shim opens
the welcome modal, the simulated wallet app (standing in for the phone) links and ends the session,
and the page prints what ``showWelcomeModalPromise`` resolved with: every final status, on the
devices whose promise rules differ, and keyboard-only.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)

#: wallet app outcome → (status, errorCode, notification the partner gets)
OUTCOMES = {
    "success": ("SUCCESS", None, "WA_PROVISIONED"),
    "failure": ("FAILURE", "PROVISION_FAILURE", "WA_PROVISION_FAILURE"),
    "card_already_present": ("FAILURE", "CARD_ALREADY_PRESENT", "WA_PROVISION_FAILURE"),
    "device_not_supported": ("DEVICE_NOT_SUPPORTED", None, "WA_PROVISION_FAILURE"),
    "timeout": ("FAILURE", "NETWORK_ERROR", "WA_PROVISION_FAILURE"),
    "cancel": ("FAILURE", "CANCELED", "WA_PROVISION_FAILURE"),
}


def open_pay_page(demo: Demo) -> Page:
    page = demo.goto("/pay/")
    expect(page.locator("#pay-button a.linkkit-button")).to_be_visible()
    page.wait_for_function("() => window.spay && window.spay.saveToPayUI")
    return page


def welcome(page: Page) -> FrameLocator:
    """The welcome page inside the open modal, once it has rendered."""
    expect(page.get_by_role("dialog", name="Save to Samsung Pay")).to_be_visible()
    frame = page.frame_locator("iframe.spay-s2p-frame")
    expect(frame.get_by_role("heading", name="Add your card to Samsung Wallet")).to_be_visible()
    # One close button: the modal's. The welcome page inside draws none of its own.
    expect(page.get_by_role("button", name="Close")).to_have_count(1)
    expect(frame.get_by_role("button", name="Close")).to_have_count(0)
    return frame


def finish_in_wallet_app(demo: Demo, frame: FrameLocator, outcome: str) -> None:
    """What the user does on the wallet: open it, link the wallet, end the session.

    Without a phone (desktop, tablet, iOS) the "Open the simulated wallet" button beside the QR code
    opens the wallet app in a new tab; an Android phone gets Samsung's same-device link instead.
    """
    page = demo.page
    if demo.device == "android":
        expect(frame.locator("#open-simulated-wallet")).to_be_hidden()
        link = frame.locator("#open-wallet").get_attribute("href")
        assert link and "/v1/wallet/" in link
        phone = page.context.new_page()
        phone.goto(link)
    else:
        button = frame.get_by_role("link", name="Open the simulated wallet")
        expect(button).to_be_visible()
        with page.context.expect_page() as opened:
            demo.press(button)
        phone = opened.value
        expect(phone).to_have_url(re.compile(r"/v1/wallet/"))
    phone.get_by_role("button", name="Link this wallet").click()
    expect(phone.locator("#session")).to_be_visible()
    phone.locator(f"#outcome-{outcome}").click()
    expect(phone.locator("#result")).to_have_attribute("data-state", "final")
    phone.close()


#: ``data-status`` is set on the result once the promise resolved.
ANY_STATUS = re.compile(r"[A-Z_]+")


def result_of(page: Page) -> dict[str, Any]:
    """What the page printed of the promise's result (once it resolved)."""
    expect(page.locator("#pay-result")).to_have_attribute("data-status", ANY_STATUS)
    return dict(json.loads(page.locator("#pay-response").inner_text()))


def expected_response(outcome: str, device: str) -> dict[str, Any]:
    status, code, _ = OUTCOMES[outcome]
    response: dict[str, Any] = {"status": status, "isIframeClosed": device != "android"}
    if code is not None:
        response["details"] = {"errorCode": code}
    return response


def _normal(response: dict[str, Any]) -> dict[str, Any]:
    """The promise's result without the free-text ``details.message``."""
    if isinstance(response.get("details"), dict):
        response["details"] = {k: v for k, v in response["details"].items() if k != "message"}
    return response


def run_session(demo: Demo, outcome: str) -> dict[str, Any]:
    page = open_pay_page(demo)
    last4 = page.locator("#card-title").inner_text()[-4:]
    demo.press(page.locator("#pay-button a.linkkit-button"))
    frame = welcome(page)
    finish_in_wallet_app(demo, frame, outcome)
    expect(page.locator("#pay-events li").last).to_contain_text("(final)")
    if demo.device != "android":
        # Desktop, tablet and iOS resolve when the modal closes, with the last status.
        expect(page.locator("#pay-result")).not_to_have_attribute("data-status", ANY_STATUS)
        demo.press(page.get_by_role("button", name="Close"))
    response = result_of(page)
    if demo.device == "android":
        # Android resolves as soon as the session ends; the modal stays until closed.
        expect(page.get_by_role("dialog", name="Save to Samsung Pay")).to_be_visible()
        page.get_by_role("button", name="Close").click()
    expect(page.locator(".spay-s2p")).to_have_count(0)
    notifications = demo.goto("/operator/").locator(f"#s2p tr[data-card='{last4}']")
    expect(notifications.first).to_have_attribute("data-type", OUTCOMES[outcome][2])
    expect(notifications).to_have_count(2)  # WA_READY, then the final one
    return response


def test_save_to_pay_succeeds(demo: Demo) -> None:
    assert _normal(run_session(demo, "success")) == expected_response("success", demo.device)
    # The page shows the registered card, as the server knows it (Samsung's WA_PROVISIONED).
    page = demo.goto("/pay/")
    card = page.locator("#card-title").inner_text()
    added = page.locator("#pay-wallet")
    expect(added).to_be_visible()
    expect(added).to_contain_text(f"{card} is in Samsung Wallet")
    expect(added).to_contain_text("WA_PROVISIONED")


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_the_card_shows_as_added_when_the_window_reports_success(demo: Demo) -> None:
    page = open_pay_page(demo)
    expect(page.locator("#pay-wallet")).to_be_hidden()  # not yet in the wallet
    demo.press(page.locator("#pay-button a.linkkit-button"))
    frame = welcome(page)
    demo.doc_screenshot("demo-pay-modal")
    finish_in_wallet_app(demo, frame, "success")
    if demo.device != "android":
        demo.press(page.get_by_role("button", name="Close"))
    added = page.locator("#pay-wallet")
    expect(added).to_be_visible()  # without a reload: the page asked the server once the window ended
    expect(added).to_contain_text("is in Samsung Wallet")
    if demo.device == "android":
        page.get_by_role("button", name="Close").click()
    demo.doc_screenshot("demo-pay-added")


@pytest.mark.parametrize("device_name", ["desktop"])
def test_a_failed_session_does_not_show_the_card_as_added(demo: Demo) -> None:
    run_session(demo, "failure")
    expect(demo.goto("/pay/").locator("#pay-wallet")).to_be_hidden()


@pytest.mark.parametrize("device_name", ["desktop", "android"])
@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o != "success"])
def test_save_to_pay_final_status(demo: Demo, outcome: str) -> None:
    assert _normal(run_session(demo, outcome)) == expected_response(outcome, demo.device)


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_keyboard_only(demo: Demo) -> None:
    page = open_pay_page(demo)
    button = page.locator("#pay-button a.linkkit-button")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Save to Samsung Pay")
    expect(dialog).to_be_focused()
    welcome(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Close")).to_be_focused()
    # Tabbing never leaves the modal: a dozen presses later focus is still inside it.
    for _ in range(12):
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('.spay-s2p')")
        assert inside, "focus escaped the modal"
    page.get_by_role("button", name="Close").focus()
    page.keyboard.press("Escape")
    expect(page.locator(".spay-s2p")).to_have_count(0)
    expect(button).to_be_focused()
    assert result_of(page) == {"status": "DEFAULT_PENDING", "isIframeClosed": True}
