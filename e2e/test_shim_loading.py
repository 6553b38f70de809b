"""Ways of loading the shim (classic, minified, ES module, both, twice) and the strict-CSP page."""

from __future__ import annotations

import pytest
from shim_pages.harness import Shim

pytest_plugins = ("shim_pages.plugin",)

API = ["closeWelcomeModal", "showWelcomeModal", "showWelcomeModalPromise"]


def round_trip(shim: Shim) -> None:
    """Open from the partner's button, finish with SUCCESS, close: the whole flow works."""
    shim.page.locator("#open").click()
    shim.expect_open()
    shim.frame().locator("#added").click()
    shim.close_button.click()
    shim.expect_closed()
    response = shim.wait_result()["response"]
    device = shim.page.evaluate("() => harness.events[0].detail.device")
    assert response == {"status": "SUCCESS", "isIframeClosed": device != "android"}


@pytest.mark.parametrize("device_name", ["desktop"])
@pytest.mark.parametrize("flavour", ["classic", "min", "module", "both", "twice"])
def test_each_way_of_loading_gives_one_frozen_api(shim: Shim, flavour: str) -> None:
    shim.goto(flavour)
    page = shim.page
    if flavour in ("module", "both"):
        page.wait_for_function("() => window.moduleExports")
        # Default export, named export and the global are one object; named functions are its own.
        assert page.evaluate(
            """() => moduleDefault === spay.saveToPayUI && moduleNamed === spay.saveToPayUI
                && Object.keys(moduleExports).every(k => moduleExports[k] === spay.saveToPayUI[k])"""
        )
    assert page.evaluate("() => Object.keys(spay.saveToPayUI).sort()") == API
    assert page.evaluate("() => Object.isFrozen(spay.saveToPayUI)")
    assert page.evaluate("() => harness.errors") == []
    round_trip(shim)


@pytest.mark.parametrize("device_name", ["desktop"])
def test_an_existing_spay_namespace_is_kept(shim: Shim) -> None:
    shim.goto("both", preset="1")  # the classic script, then the module: neither replaces it
    shim.page.wait_for_function("() => window.moduleExports")
    assert shim.page.evaluate("() => spay.existing") == "kept"
    round_trip(shim)


@pytest.mark.parametrize(("device_name", "flavour"), [("desktop", "classic"), ("ios", "min"), ("android", "module")])
def test_strict_csp_page(shim: Shim, flavour: str) -> None:
    shim.goto(flavour, csp="1")
    page = shim.page
    if flavour == "module":
        page.wait_for_function("() => window.moduleExports")
    # The shipped stylesheet applies under style-src 'self', and the scroll lock's CSSOM write
    # (body.style.top) is allowed where a style attribute would not be.
    page.locator("#open").click()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.spay-s2p')).position") == "fixed"
    assert page.evaluate("() => getComputedStyle(document.body).position") == "fixed"
    shim.close_button.click()
    shim.expect_closed()
    round_trip_after_close(shim)
    assert page.evaluate("() => harness.violations") == []
    assert page.evaluate("() => harness.errors") == []
    # The policy is really enforced and violations really are recorded: an inline style is refused.
    page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("() => harness.violations.length > 0")
    assert page.evaluate("() => harness.violations[0]").startswith("style-src")


def round_trip_after_close(shim: Shim) -> None:
    shim.page.locator("#open").click()
    shim.frame().locator("#added").click()
    shim.close_button.click()
    shim.expect_closed()
    assert shim.wait_result(2)["response"]["status"] == "SUCCESS"
