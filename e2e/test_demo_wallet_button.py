"""The demo's card pages through <samsung-wallet-button>: press it on the cinema page (a click-time
link), the sandbox opens the freshly minted link, add the card, the page then offers "View in
Samsung Wallet", and the operator console's funnel chart counts the click and the add."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def _totals(demo: Demo) -> dict[str, int]:
    page = demo.goto("/operator/")
    text = page.locator("#funnel-totals").inner_text()
    return {name: int(n) for n, name in re.findall(r"(\d+) (impressions|clicks|adds|removes)", text)}


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_wallet_button_mints_adds_turns_to_view_and_is_counted(demo: Demo) -> None:
    before = _totals(demo)
    page = demo.goto("/cinema")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    host = page.locator("#wallet-button samsung-wallet-button")
    expect(host).to_have_attribute("data-mode", "button")
    button = host.get_by_role("button", name="Add to Samsung Wallet")
    with page.expect_navigation(url=re.compile(r"/atw/v3/")):
        demo.press(button)
    demo.add_in_wallet()
    page = demo.goto("/cinema")
    expect(page.locator("#wallet-button").get_by_role("button", name="View in Samsung Wallet")).to_be_visible()
    after = _totals(demo)
    assert after["clicks"] == before["clicks"] + 1 and after["adds"] == before["adds"] + 1
    assert after["impressions"] > before["impressions"]
    chart = demo.page.locator("#funnel-chart")
    expect(chart).to_be_visible()
    assert demo.page.evaluate("() => document.getElementById('funnel-chart').naturalWidth") == 960
    if demo.device == "desktop":
        # LINKKIT_UPDATE_SCREENSHOTS=1 refreshes the picture docs/buttons.md shows.
        refresh = os.environ.get("LINKKIT_UPDATE_SCREENSHOTS") == "1"
        target = SCREENSHOTS / "funnel-chart.png" if refresh else Path("test-artifacts/buttons/funnel-chart.png")
        target.parent.mkdir(parents=True, exist_ok=True)
        chart.screenshot(path=str(target))
    assert violations == []
