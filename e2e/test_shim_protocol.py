"""The welcome protocol (docs/welcome-protocol.md) and the promise rules, under four devices."""

from __future__ import annotations

from typing import Any

import pytest
from shim_pages.harness import Shim, ShimServers

pytest_plugins = ("shim_pages.plugin",)

STATUSES = ("SUCCESS", "FAILURE", "DEVICE_NOT_SUPPORTED", "DEFAULT_PENDING")
ERROR_CODES = (
    "INVALID_INPUT",
    "PROVISION_FAILURE",
    "NETWORK_ERROR",
    "UNKNOWN_ERROR",
    "CARD_ALREADY_PRESENT",
    "CANCELED",
)
# Every final outcome a welcome page can report: each status, and FAILURE with each error code.
FINALS: list[dict[str, Any]] = [
    {"status": "SUCCESS"},
    {"status": "DEVICE_NOT_SUPPORTED"},
    {"status": "DEFAULT_PENDING"},
    *({"status": "FAILURE", "details": {"errorCode": c, "message": f"because {c}"}} for c in ERROR_CODES),
    {"status": "FAILURE", "details": {"errorCode": "UNKNOWN_ERROR"}},
]


def status_message(outcome: dict[str, Any], *, final: bool = True) -> dict[str, Any]:
    return {"type": "s2p:status", "v": 1, "final": final, **outcome}


# Navigator values a real browser reports, and the device type the shim makes of them.
USER_AGENTS = [
    # iPadOS 13+ Safari reports a Mac user agent; MacIntel with touch points is an iPad.
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15",
        "MacIntel",
        5,
        "tablet",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15",
        "MacIntel",
        0,
        "desktop",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/120 Safari/537.36",
        "Linux armv8l",
        5,
        "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36",
        "Linux armv8l",
        5,
        "android",
    ),
    (
        "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
        "iPhone",
        5,
        "ios",
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36", "Win32", 10, "desktop"),
]


@pytest.mark.parametrize("device_name", ["desktop"])
def test_user_agent_rules(shim: Shim) -> None:
    shim.goto()
    for user_agent, platform, touch_points, expected in USER_AGENTS:
        # Own properties on navigator shadow the emulated values; the shim reads them at show time.
        shim.page.evaluate(
            """([ua, platform, touch]) => {
                for (const [k, v] of [['userAgent', ua], ['platform', platform], ['maxTouchPoints', touch]])
                    Object.defineProperty(navigator, k, {value: v, configurable: true})
            }""",
            [user_agent, platform, touch_points],
        )
        shim.open()
        assert shim.wait_hello()["data"]["device"] == expected, user_agent
        shim.close_button.click()
        shim.expect_closed()


@pytest.mark.parametrize("device_name", ["android"])
def test_device_option_overrides_detection(shim: Shim) -> None:
    shim.goto()
    shim.open({"device": "desktop"})
    assert shim.wait_hello()["data"]["device"] == "desktop"
    shim.frame().locator("#added").click()
    # Treated as desktop: no resolution before close, although the browser is an Android phone.
    shim.page.wait_for_function("() => harness.events.some(e => e.type === 'status')")
    assert shim.results() == []
    shim.close_button.click()
    assert shim.wait_result()["response"] == {"status": "SUCCESS", "isIframeClosed": True}


@pytest.mark.parametrize("device_name", ["desktop"])
@pytest.mark.parametrize("ready", ["early", "late"])
def test_ready_before_or_after_hello_stops_the_timeout(shim: Shim, ready: str) -> None:
    # The page's clock is Playwright's, paused: page time moves only when the test says, so a
    # slow machine cannot fire the timeout early and the test need not sleep.
    shim.page.clock.install(time=0)
    shim.goto(welcomeUrl=shim.servers.welcome_url(ready=ready), timeout="1000")
    shim.page.clock.pause_at(1_000_000)
    shim.open()
    shim.wait_hello()
    shim.page.wait_for_function("() => harness.messages.some(m => m.data.type === 's2p:ready')")
    shim.page.clock.run_for(60_000)
    shim.expect_open()
    assert shim.results() == []
    shim.frame().locator("#cancel").click()
    shim.page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()")
    assert shim.wait_result()["response"]["details"]["errorCode"] == "CANCELED"


def test_every_final_status_and_error_code(shim: Shim, device_name: str) -> None:
    shim.goto()
    for n, outcome in enumerate(FINALS, start=1):
        shim.open()
        if n == 1:
            # The hello names the device type detected from the emulated browser.
            assert shim.wait_hello() == {
                "origin": shim.servers.partner,
                "data": {"type": "s2p:hello", "v": 1, "device": device_name},
            }
            assert shim.events("show") == [{"type": "show", "detail": {"device": device_name}, "open": True}]
        shim.send(status_message(outcome))
        if device_name == "android":
            # Android resolves as soon as the session ends; the modal is still up.
            result = shim.wait_result(n)
            assert result == {"response": {**outcome, "isIframeClosed": False}, "open": True}
            shim.page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()")
            shim.expect_closed()
            assert len(shim.results()) == n
        else:
            # Desktop, tablet and iOS resolve only when the iframe closes, with the last status.
            assert len(shim.results()) == n - 1
            shim.expect_open()
            shim.page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()")
            result = shim.wait_result(n)
            assert result == {"response": {**outcome, "isIframeClosed": True}, "open": False}
        close = shim.events("close")[-1]
        assert close["detail"] == {**outcome, "isIframeClosed": True}
    statuses = [e["detail"] for e in shim.events("status")]
    assert statuses == [{**o, "final": True} for o in FINALS]


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_non_final_status_is_reported_on_close(shim: Shim) -> None:
    shim.goto()
    shim.open()
    shim.send(status_message({"status": "DEFAULT_PENDING"}, final=False))
    shim.send(status_message({"status": "FAILURE", "details": {"errorCode": "NETWORK_ERROR"}}, final=False))
    assert shim.results() == []  # not final: no device resolves yet
    shim.frame().locator("#close").click()  # the welcome page asks to close
    assert shim.wait_result() == {
        "response": {"status": "FAILURE", "details": {"errorCode": "NETWORK_ERROR"}, "isIframeClosed": True},
        "open": False,
    }


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_statuses_after_a_final_one_are_ignored(shim: Shim, device_name: str) -> None:
    shim.goto()
    shim.open()
    shim.frame().locator("#added").click()
    shim.page.wait_for_function("() => harness.events.some(e => e.type === 'status')")
    shim.send(status_message({"status": "FAILURE", "details": {"errorCode": "UNKNOWN_ERROR"}}))
    shim.page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()")
    shim.expect_closed()
    responses = [r["response"] for r in shim.results()]
    assert responses == [{"status": "SUCCESS", "isIframeClosed": device_name != "android"}]
    assert len(shim.events("status")) == 1


@pytest.mark.parametrize("device_name", ["desktop"])
def test_forged_messages_from_other_origins_and_windows_are_ignored(
    shim: Shim, shim_servers: ShimServers, device_name: str
) -> None:
    shim.goto()
    shim.open()
    shim.wait_hello()
    forged_status = status_message({"status": "SUCCESS"}) | {"redirectUrl": shim_servers.partner + "/done"}
    forged_close = {"type": "s2p:close", "v": 1}
    page = shim.page
    # 1. The partner page itself (its own origin, not the welcome page's).
    page.evaluate("(m) => window.postMessage(m, '*')", forged_status)
    # 2. Iframes on another origin of the same server (127.0.0.1 instead of localhost), and
    # 3. iframes on the welcome page's own origin that are not the shim's iframe.
    for host in ("127.0.0.1", "localhost"):
        for message in (forged_status, forged_close):
            name = f"forge-{len(page.frames)}"
            page.evaluate(
                "([u, n]) => { const f = document.createElement('iframe'); f.name = n; f.src = u;"
                " document.body.append(f) }",
                [shim_servers.forge_url(message, host=host), name],
            )
            handle = page.wait_for_selector(f"iframe[name={name}]")
            frame = handle.content_frame() if handle else None
            assert frame is not None
            frame.wait_for_function("() => typeof window.forge === 'function'")
            frame.evaluate("() => forge()")
    # 4. A window on the welcome origin opened by the page (event.source is that window).
    with page.expect_popup() as popup_info:
        page.evaluate("(u) => { window.open(u) }", shim_servers.forge_url(forged_status, to="opener"))
    popup = popup_info.value
    popup.wait_for_function("() => typeof window.forge === 'function'")
    popup.evaluate("() => forge()")
    page.wait_for_function("() => harness.messages.filter(m => m.data.type !== 's2p:ready').length >= 6")
    origins = {m["origin"] for m in page.evaluate("() => harness.messages")}
    assert origins == {shim_servers.partner, shim_servers.welcome, f"http://127.0.0.1:{shim_servers.welcome_port}"}
    # Nothing changed: still open, no status seen, no redirect; closing reports DEFAULT_PENDING.
    shim.expect_open()
    assert shim.events("status") == [] and shim.results() == []
    assert page.url.startswith(shim_servers.partner + "/page/")
    shim.close_button.click()
    assert shim.wait_result()["response"] == {"status": "DEFAULT_PENDING", "isIframeClosed": True}


MALFORMED: list[Any] = [
    "s2p:close",  # a string, not an object
    '{"type":"s2p:status","v":1,"status":"SUCCESS","final":true}',  # JSON text, not an object
    None,
    [],
    {"type": "s2p:close"},  # no version
    {"type": "s2p:close", "v": 2},
    {"type": "s2p:close", "v": "1"},
    {"type": "s2p:status", "v": 1, "status": "DONE", "final": True},
    {"type": "s2p:status", "v": 1, "status": "success", "final": True},
    {"type": "s2p:status", "v": 1, "status": "SUCCESS", "final": "true"},
    {"type": "s2p:status", "v": 1, "status": "SUCCESS"},
    {"type": "s2p:status", "v": 1, "status": "FAILURE", "final": True, "details": {"errorCode": "OOPS"}},
    {"type": "s2p:status", "v": 1, "status": "FAILURE", "final": True, "details": "CANCELED"},
    {"type": "s2p:status", "v": 1, "status": "FAILURE", "final": True, "details": None},
    {
        "type": "s2p:status",
        "v": 1,
        "status": "FAILURE",
        "final": True,
        "details": {"errorCode": "CANCELED", "message": 42},
    },
    {"type": "s2p:status", "v": 1, "status": "SUCCESS", "final": True, "redirectUrl": 7},
    {"type": "s2p:hello", "v": 1, "device": "desktop"},
    {"type": "s2p:unknown", "v": 1},
]


@pytest.mark.parametrize("device_name", ["desktop"])
def test_malformed_messages_from_the_welcome_page_change_nothing(shim: Shim) -> None:
    shim.goto(mode="redirect")
    shim.open(mode="redirect")
    shim.send(*MALFORMED)
    shim.expect_open()
    assert shim.events("status") == []
    shim.page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()")
    assert shim.events("close")[0]["detail"] == {"status": "DEFAULT_PENDING", "isIframeClosed": True}


def test_show_welcome_modal_goes_to_the_callback_url_on_a_final_state(
    shim: Shim, shim_servers: ShimServers, device_name: str
) -> None:
    callback = shim_servers.partner + "/done?regId=r1"
    shim.goto(welcomeUrl=shim_servers.welcome_url(cb=callback))
    shim.open(mode="redirect")
    shim.send(status_message({"status": "DEFAULT_PENDING"}, final=False) | {"redirectUrl": callback})
    shim.expect_open()  # not final: no redirect yet
    with shim.page.expect_navigation():
        shim.frame().locator("#added").click()
    assert shim.page.url == callback
    assert shim.page.locator("#done").text_content() == "Welcome callback reached"


REFUSED_REDIRECTS = [
    "javascript:window.pwned=1",
    "JavaScript:window.pwned=1",
    " javascript:window.pwned=1",
    "data:text/html,<script>window.pwned=1</script>",
    "/done",  # relative: welcomeCallbackUrl is an absolute URL in Save to Pay, so the shim refuses it
    "ftp://localhost/x",
]


@pytest.mark.parametrize("device_name", ["desktop"])
def test_redirect_to_anything_but_http_is_refused(shim: Shim) -> None:
    shim.goto()
    url = shim.page.url
    for n, target in enumerate(REFUSED_REDIRECTS, start=1):
        shim.open(mode="redirect")
        shim.send(status_message({"status": "SUCCESS"}) | {"redirectUrl": target})
        # The status counts; the redirect does not happen and the modal stays for the user to close.
        assert shim.events("status")[-1]["detail"] == {"status": "SUCCESS", "final": True}
        assert len(shim.events("status")) == n
        shim.expect_open()
        shim.close_button.click()
        shim.expect_closed()
        assert shim.page.url == url
        assert shim.page.evaluate("() => window.pwned") is None


@pytest.mark.parametrize("device_name", ["desktop", "android"])
def test_promise_mode_never_redirects(shim: Shim, shim_servers: ShimServers, device_name: str) -> None:
    shim.goto(welcomeUrl=shim_servers.welcome_url(cb=shim_servers.partner + "/done"))
    url = shim.page.url
    shim.open()
    shim.frame().locator("#added").click()
    shim.page.evaluate("() => spay.saveToPayUI.closeWelcomeModal()")
    assert shim.wait_result()["response"]["status"] == "SUCCESS"
    assert shim.page.url == url
