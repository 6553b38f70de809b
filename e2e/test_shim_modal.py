"""The modal itself: accessible dialog, focus, inert background, scroll lock, closing paths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from shim_pages.harness import Shim

pytest_plugins = ("shim_pages.plugin",)

CLOSED = {"status": "DEFAULT_PENDING", "isIframeClosed": True}


def exposed_nodes(page: Page) -> list[tuple[str, str]]:
    """Named nodes of Chromium's own accessibility tree (what a screen reader gets)."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    nodes = [n for n in tree["nodes"] if not n.get("ignored")]
    named = [(n["role"]["value"], n.get("name", {}).get("value", "")) for n in nodes]
    return [(role, name) for role, name in named if name and role not in ("RootWebArea", "StaticText", "InlineTextBox")]


def test_accessible_dialog_over_an_inert_locked_page(shim: Shim) -> None:
    shim.goto()
    page = shim.page
    page.locator("#open").scroll_into_view_if_needed()
    y = page.evaluate("() => scrollY")
    top = page.evaluate("() => document.querySelector('#open').getBoundingClientRect().top")
    assert y > 0
    page.locator("#open").click()
    shim.expect_open()
    dialog = shim.dialog
    expect(dialog).to_have_attribute("role", "dialog")
    expect(dialog).to_have_attribute("aria-label", "Save to Samsung Pay")
    expect(page.get_by_role("dialog", name="Save to Samsung Pay")).to_be_visible()
    expect(page.get_by_role("button", name="Close")).to_be_visible()
    expect(page.locator("iframe.spay-s2p-frame")).to_have_attribute("title", "Save to Samsung Pay")
    expect(dialog).to_be_focused()
    # Everything else is inert: out of the tab order, the accessibility tree and the pointer's reach.
    assert page.evaluate("() => [...document.body.children].filter(c => !c.inert).map(c => c.className)") == [
        "spay-s2p"
    ]
    assert exposed_nodes(page) == [
        ("dialog", "Save to Samsung Pay"),
        ("button", "Close"),
        ("Iframe", "Save to Samsung Pay"),
    ]
    # Scroll locked with a fixed body that keeps the page where it was (iOS-safe).
    assert page.evaluate("() => getComputedStyle(document.body).position") == "fixed"
    assert page.evaluate("() => document.body.style.top") == f"-{y}px"
    assert page.evaluate("() => document.querySelector('#open').getBoundingClientRect().top") == top
    page.evaluate("() => window.scrollTo(0, 900)")
    assert page.evaluate("() => scrollY") == 0
    # The overlay covers the viewport and sits above the page.
    box = page.locator(".spay-s2p").bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, viewport["width"], viewport["height"])

    shim.close_button.click()
    shim.expect_closed()
    assert shim.wait_result()["response"] == CLOSED
    assert page.evaluate("() => [scrollY, document.body.style.top]") == [y, ""]
    assert shim.active() == "BUTTON#open"


def test_every_way_to_close(shim: Shim) -> None:
    shim.goto()
    page = shim.page
    closers = {
        "close button": lambda: shim.close_button.click(),
        "Escape in the page": lambda: page.keyboard.press("Escape"),
        "closeWelcomeModal()": lambda: page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()"),
        "welcome page asks (s2p:close)": lambda: shim.frame().locator("#close").click(),
        # Only the key down: the welcome page closes on keydown, and Playwright can wait forever
        # for the key up to reach a frame that is gone by then.
        "Escape in the welcome page": lambda: (
            shim.frame().locator("#added").focus(),
            expect(page.locator("iframe.spay-s2p-frame")).to_be_focused(),
            page.keyboard.down("Escape"),
        ),
    }
    from_welcome = "() => harness.messages.filter(m => m.data && m.data.type === 's2p:close').length"
    for n, (how, close) in enumerate(closers.items(), start=1):
        asked = page.evaluate(from_welcome)
        page.locator("#open").click()
        shim.expect_open()
        shim.frame()
        close()
        shim.expect_closed()
        page.keyboard.up("Escape")
        assert shim.wait_result(n) == {"response": CLOSED, "open": False}, how
        # The two welcome-page paths really went through s2p:close, the others did not.
        assert page.evaluate(from_welcome) - asked == (1 if "welcome page" in how else 0), how
        assert shim.active() == "BUTTON#open", how
        assert len(shim.events("close")) == n


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_keyboard_only_focus_is_trapped_and_restored(shim: Shim) -> None:
    shim.goto()
    page = shim.page
    keys = page.keyboard
    keys.press("Tab")
    assert shim.active() == "A#home"
    keys.press("Tab")
    assert shim.active() == "BUTTON#open"
    keys.press("Enter")
    shim.expect_open()
    frame = shim.frame()
    expect(shim.dialog).to_be_focused()

    iframe = page.locator("iframe.spay-s2p-frame")

    keys.press("Tab")
    expect(shim.close_button).to_be_focused()
    # Tab goes into the welcome page, through its controls, and from the last one back to Close.
    # Focus crosses into the (out-of-process) iframe asynchronously: poll, do not read once.
    for expected in ("added", "unsupported", "cancel", "close"):
        keys.press("Tab")
        expect(iframe).to_be_focused()
        expect(frame.locator(f"#{expected}")).to_be_focused()
    keys.press("Tab")
    expect(shim.close_button).to_be_focused()
    # Shift+Tab from Close wraps into the welcome page; from its first control back to Close.
    keys.press("Shift+Tab")
    expect(iframe).to_be_focused()
    keys.press("Tab")
    expect(frame.locator("#added")).to_be_focused()
    keys.press("Shift+Tab")
    expect(shim.close_button).to_be_focused()
    # Nothing behind the dialog is reachable however far one tabs.
    for _ in range(8):
        keys.press("Tab")
        assert shim.active() in ("BUTTON#", "IFRAME#")
    shim.close_button.focus()
    keys.press("Enter")
    shim.expect_closed()
    assert shim.active() == "BUTTON#open"
    assert shim.wait_result()["response"] == CLOSED
    # Again, closed with Escape from inside the dialog.
    keys.press("Enter")
    shim.expect_open()
    keys.press("Tab")
    keys.press("Escape")
    shim.expect_closed()
    assert shim.active() == "BUTTON#open"
    assert shim.wait_result(2)["response"] == CLOSED


@pytest.mark.parametrize("device_name", ["desktop"])
def test_reduced_motion_turns_the_animation_off(shim: Shim) -> None:
    shim.goto()
    animation = "() => getComputedStyle(document.querySelector('.spay-s2p')).animationName"
    for preference, expected in (("no-preference", "spay-s2p-in"), ("reduce", "none")):
        shim.page.emulate_media(reduced_motion=preference)  # type: ignore[arg-type]
        shim.open()
        assert shim.page.evaluate(animation) == expected
        shim.close_button.click()
        shim.expect_closed()


@pytest.mark.parametrize("device_name", ["desktop"])
def test_a_second_show_while_open_is_refused_and_the_first_continues(shim: Shim) -> None:
    shim.goto()
    page = shim.page
    shim.open()
    shim.frame()
    # The second call resolves at once with INVALID_INPUT; the open modal is untouched.
    second = page.evaluate("() => spay.saveToPayUI.showWelcomeModalPromise(harness.request())")
    assert second == {
        "status": "FAILURE",
        "isIframeClosed": False,
        "details": {"errorCode": "INVALID_INPUT", "message": "a welcome modal is already open"},
    }
    with page.expect_console_message(lambda m: m.type == "warning") as warning:
        page.evaluate("() => spay.saveToPayUI.showWelcomeModal(harness.request())")
    assert warning.value.text == "spay-s2p: a welcome modal is already open"
    expect(shim.modal).to_have_count(1)
    assert shim.results() == []
    shim.frame().locator("#cancel").click()
    page.evaluate("() => { spay.saveToPayUI.closeWelcomeModal(); spay.saveToPayUI.closeWelcomeModal() }")
    shim.expect_closed()
    assert shim.results() == [
        {
            "response": {
                "status": "FAILURE",
                "isIframeClosed": True,
                "details": {"errorCode": "CANCELED", "message": "user canceled"},
            },
            "open": False,
        }
    ]
    assert len(shim.events("close")) == 1


@pytest.mark.parametrize("device_name", ["desktop"])
def test_the_request_object_is_read_not_written(shim: Shim) -> None:
    shim.goto()
    page = shim.page
    before, after = page.evaluate(
        """async () => {
            const request = {...harness.request(), label: 'Karte speichern', closeLabel: 'Schließen', extra: {a: 1}}
            const before = JSON.stringify(request)
            Object.freeze(request)  // a write in strict mode would throw
            const pending = spay.saveToPayUI.showWelcomeModalPromise(request)
            spay.saveToPayUI.closeWelcomeModal()
            await pending
            return [before, JSON.stringify(request)]
        }"""
    )
    assert before == after
    # The labels were used, and they are the accessible names.
    shim.open({"label": "Karte speichern", "closeLabel": "Schließen"})
    expect(page.get_by_role("dialog", name="Karte speichern")).to_be_visible()
    expect(page.get_by_role("button", name="Schließen")).to_be_visible()
