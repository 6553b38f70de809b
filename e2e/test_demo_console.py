"""The operator console as a newcomer meets it, on a desktop and on a phone: it fits the screen (no
sideways scrolling, every card row readable as a small card on the phone), and the cards of other
visits are folded away while your own visit stays open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from demo_fixtures import Demo

pytest_plugins = ("demo_fixtures",)


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_console_fits_the_screen_and_folds_other_visits(demo: Demo, browser: Any) -> None:
    # Someone else visits first: five cards of their own.
    other = browser.new_context()
    try:
        visitor = other.new_page()
        for path in ("/rewards", "/gift", "/cinema", "/flight", "/email/"):
            visitor.goto(demo.urls.demo + path)
    finally:
        other.close()
    page = demo.goto("/rewards")
    number = page.locator("#card-number").inner_text()
    demo.press(page.locator("#add-button a.linkkit-button"))
    demo.add_in_wallet()

    page = demo.goto("/operator/")
    mine = page.locator("details.visit", has=page.locator(f"#card-{number}"))
    expect(mine).to_have_attribute("open", "")
    expect(mine.locator("summary")).to_contain_text("Your visit")
    folded = page.locator("details.visit:not([open])")
    expect(folded.first.locator("summary")).to_contain_text("A visit from")
    expect(folded.first.locator("tbody tr").first).to_be_hidden()
    assert page.locator("details.visit[open]").count() <= 2  # yours, and the newest if that is another

    # Nothing runs off the side: no sideways scrolling, each card row within the viewport.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    row = page.locator(f"#card-{number}")
    box = row.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]  # type: ignore[index]
    expect(row.locator(".event")).to_contain_text("ADDED")
    if demo.device == "android":
        # a card per row: cells stack, each with its column's name; the header row is for screen readers
        assert row.locator("td.event").evaluate("e => getComputedStyle(e).display") == "block"
        assert row.locator("td.event").get_attribute("data-label") == "Samsung said"
        header = mine.locator("thead").bounding_box()
        assert header is not None and header["width"] <= 1
        expect(row.get_by_role("button", name="Add 100 points")).to_be_visible()
    demo.doc_screenshot("demo-operator")

    # A folded visit opens on demand.
    anchor = folded.first.get_attribute("id")
    demo.press(page.locator(f"#{anchor} > summary"))
    expect(page.locator(f"#{anchor} tbody tr").first).to_be_visible()
