"""Accessibility: axe-core (through axe-playwright-python) finds no serious or critical violation on
any demo page, nor on the open Save to Pay modal and the welcome page inside it. The same visits
take the screenshots used in the README (``LINKKIT_UPDATE_SCREENSHOTS=1`` writes docs/screenshots/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Frame, Page, expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)

#: path → screenshot name (None: no screenshot)
PAGES = {
    "/": "demo-home",
    "/rewards": "demo-rewards",
    "/gift": None,
    "/cinema": "demo-cinema",
    "/flight": None,
    "/email/": None,
    "/join/": None,
    "/pay/": "demo-pay",
    "/operator/": None,  # taken by test_demo_cards, once cards are in the wallet
}
SEVERE = ("serious", "critical")
AXE = Axe()
#: Cross-origin and sandboxed frames are checked on their own (axe cannot reach into them).
OPTIONS = {"resultTypes": ["violations"], "iframes": False}


def severe_violations(target: Page | Frame) -> list[str]:
    results = AXE.run(target, options=OPTIONS)
    found = [v for v in results.response["violations"] if v["impact"] in SEVERE]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_pages_have_no_serious_violation(demo: Demo) -> None:
    found = {}
    for path, screenshot in PAGES.items():
        page = demo.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        found[path] = severe_violations(page)
        if screenshot and demo.device == "desktop":
            demo.screenshot(screenshot)
    assert found == {path: [] for path in PAGES}


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_open_save_to_pay_modal_has_no_serious_violation(demo: Demo) -> None:
    page = demo.goto("/pay/")
    page.wait_for_function("() => window.spay && window.spay.saveToPayUI")
    demo.press(page.locator("#pay-button a.linkkit-button"))
    expect(page.get_by_role("dialog", name="Save to Samsung Pay")).to_be_visible()
    handle = page.wait_for_selector("iframe.spay-s2p-frame")
    assert handle is not None
    frame: Any = handle.content_frame()
    expect(frame.get_by_role("heading", name="Add your card to Samsung Wallet")).to_be_visible()
    assert severe_violations(page) == []
    assert severe_violations(frame) == []  # its screenshots: test_demo_pay.py


@pytest.mark.parametrize("device_name", ["desktop"])
def test_email_message_has_no_serious_violation(demo: Demo) -> None:
    # The message is served with a CSP sandbox that forbids every script (axe's too), so its HTML is
    # checked in a blank page instead, exactly as sent.
    demo.goto("/email/")
    page = demo.page
    html = page.request.get(f"{demo.urls.demo}/email/message").text()
    page.goto("about:blank")
    page.set_content(html)
    expect(page.get_by_role("link", name="Add to Samsung Wallet")).to_be_visible()
    assert severe_violations(page) == []
