"""Failure handling: invalid input, a welcome page that never answers, and the fallbacks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shim_pages.harness import QUICK_TIMEOUT_MS, Shim, ShimServers

pytest_plugins = ("shim_pages.plugin",)

# (request as JavaScript source, the field its message names)
INVALID: list[tuple[str, str]] = [
    ("undefined", "welcomeUrl"),
    ("null", "welcomeUrl"),
    ("'https://s2p.example/welcome'", "welcomeUrl"),  # a string, not a request object
    ("{}", "welcomeUrl"),
    ("{welcomeUrl: ''}", "welcomeUrl"),
    ("{welcomeUrl: 42}", "welcomeUrl"),
    ("{welcomeUrl: new URL(W)}", "welcomeUrl"),  # a URL object, not a string
    ("{welcomeUrl: '/welcome'}", "welcomeUrl"),
    ("{welcomeUrl: 'javascript:alert(1)'}", "welcomeUrl"),
    ("{welcomeUrl: 'data:text/html,hi'}", "welcomeUrl"),
    ("{welcomeUrl: 'ftp://localhost/welcome'}", "welcomeUrl"),
    ("{welcomeUrl: W, device: 'toaster'}", "device"),
    ("{welcomeUrl: W, device: 'Android'}", "device"),
    ("{welcomeUrl: W, timeout: 0}", "timeout"),
    ("{welcomeUrl: W, timeout: -5}", "timeout"),
    ("{welcomeUrl: W, timeout: '800'}", "timeout"),
    ("{welcomeUrl: W, timeout: NaN}", "timeout"),
    ("{welcomeUrl: W, fallback: 'popup'}", "fallback"),
]


def test_invalid_input_resolves_with_invalid_input_and_opens_nothing(shim: Shim) -> None:
    shim.goto()
    page = shim.page
    for source, field in INVALID:
        response = page.evaluate(
            f"() => {{ const W = harness.request().welcomeUrl;"
            f" return spay.saveToPayUI.showWelcomeModalPromise({source}) }}"
        )
        assert response["status"] == "FAILURE", source
        assert response["isIframeClosed"] is False  # no iframe was ever opened
        assert response["details"]["errorCode"] == "INVALID_INPUT"
        assert response["details"]["message"].startswith(f"{field}: "), source
        expect(shim.modal).to_have_count(0)
    assert shim.events() == []
    assert page.evaluate("() => document.querySelectorAll('iframe, [inert]').length") == 0


@pytest.mark.parametrize("device_name", ["desktop"])
def test_show_welcome_modal_warns_on_invalid_input(shim: Shim) -> None:
    shim.goto()
    with shim.page.expect_console_message(lambda m: m.type == "warning") as warning:
        shim.page.evaluate("() => spay.saveToPayUI.showWelcomeModal({welcomeUrl: 'javascript:alert(1)'})")
    assert warning.value.text == "spay-s2p: welcomeUrl: an absolute http(s) URL is required"
    expect(shim.modal).to_have_count(0)


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_a_welcome_page_that_never_answers_ends_in_network_error(shim: Shim, shim_servers: ShimServers) -> None:
    # Playwright's clock drives the page's timers: exactly at the timeout, not a moment before.
    shim.page.clock.install(time=0)
    shim.goto(welcomeUrl=shim_servers.welcome_url(ready="never"), timeout="3000")
    shim.page.clock.pause_at(1_000_000)  # from here on, page time moves only when the test says
    shim.page.locator("#open").click()
    shim.wait_hello()  # loaded and greeted, but it never says ready
    shim.page.clock.run_for(2999)
    shim.expect_open()
    shim.page.clock.run_for(1)
    shim.expect_closed()
    assert shim.wait_result() == {
        "response": {
            "status": "FAILURE",
            "isIframeClosed": True,
            "details": {"errorCode": "NETWORK_ERROR", "message": "the welcome page did not answer within 3000 ms"},
        },
        "open": False,
    }
    assert shim.active() == "BUTTON#open"


@pytest.mark.parametrize("device_name", ["desktop"])
@pytest.mark.parametrize("where", ["blocked from framing", "unreachable"])
def test_a_welcome_page_that_cannot_load_ends_in_network_error(
    shim: Shim, shim_servers: ShimServers, where: str
) -> None:
    url = shim_servers.welcome_url("/blocked") if where == "blocked from framing" else "http://localhost:9/welcome"
    shim.goto(welcomeUrl=url, timeout=str(QUICK_TIMEOUT_MS))
    shim.open()
    response = shim.wait_result()["response"]
    assert response["details"]["errorCode"] == "NETWORK_ERROR"
    shim.expect_closed()


@pytest.mark.parametrize("device_name", ["desktop"])
def test_fallback_window_opens_the_welcome_page_in_a_new_window(shim: Shim, shim_servers: ShimServers) -> None:
    url = shim_servers.welcome_url("/blocked", ready="never")
    shim.goto(welcomeUrl=url, timeout=str(QUICK_TIMEOUT_MS), fallback="window")
    with shim.page.expect_popup() as popup_info:
        shim.open()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == url
    assert popup.evaluate("() => window.opener") is None  # noopener: it cannot reach the partner page
    assert shim.wait_result()["response"]["details"]["errorCode"] == "NETWORK_ERROR"


@pytest.mark.parametrize("device_name", ["ios"])
def test_fallback_redirect_goes_to_the_welcome_page(shim: Shim, shim_servers: ShimServers) -> None:
    url = shim_servers.welcome_url("/blocked", ready="never")
    shim.goto(welcomeUrl=url, timeout=str(QUICK_TIMEOUT_MS), fallback="redirect")
    with shim.page.expect_navigation(url=url):
        shim.open(mode="redirect")
    assert shim.page.locator("h1").text_content() == "Scan with Samsung Wallet"


@pytest.mark.parametrize("device_name", ["desktop"])
def test_a_call_before_the_body_exists_resolves_with_invalid_input(shim: Shim) -> None:
    shim.goto(early="1")
    shim.page.wait_for_function("() => window.earlyResult")
    assert shim.page.evaluate("() => window.earlyResult") == {
        "status": "FAILURE",
        "isIframeClosed": False,
        "details": {"errorCode": "INVALID_INPUT", "message": "document.body: not there yet"},
    }
    # Nothing was left half-open: a call once the page is up works.
    shim.open()
    shim.expect_open()
