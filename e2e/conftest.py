"""Browser set-up shared by every end-to-end test.

Playwright drives Debian's Chromium through ``executable_path``; nothing is downloaded.
``--host-resolver-rules`` keeps the browser from resolving (and so contacting) any host
but the loopback servers the tests start.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

# The sandbox fixtures (linkkit_sandbox, ...), opted in as a user's project does (docs/sandbox.md).
pytest_plugins = ["linkkit.testing"]

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

#: Device emulations every flow runs under (Playwright's descriptor names).
DEVICES = {
    "desktop": "Desktop Chrome",
    "tablet": "iPad Pro 11",
    "ios": "iPhone 13",
    "android": "Pixel 7",
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
        ],
    }


@pytest.fixture(params=list(DEVICES), ids=list(DEVICES))
def device_name(request: pytest.FixtureRequest) -> str:
    """One of ``desktop``, ``tablet``, ``ios``, ``android``; parametrizes a test over all four."""
    return str(request.param)


@pytest.fixture
def device_context(playwright: Any, browser: Any, device_name: str, request: pytest.FixtureRequest) -> Any:
    """A browser context emulating ``device_name``; traces and screenshots are kept when the test fails."""
    descriptor = dict(playwright.devices[DEVICES[device_name]])
    descriptor.pop("default_browser_type", None)
    context = browser.new_context(**descriptor)
    # DOM snapshots make the trace useful in the trace viewer; a screencast of every frame would
    # cost about a third more CPU for every test, so the failure screenshot is taken explicitly below.
    context.tracing.start(screenshots=False, snapshots=True)
    yield context
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        out = os.path.join("test-artifacts", "e2e", request.node.name.replace("/", "_"))
        os.makedirs(out, exist_ok=True)
        for i, page in enumerate(context.pages):
            try:
                page.screenshot(path=os.path.join(out, f"page{i}.png"))
            except Exception:  # best effort on a failing test: the trace below still gets written
                pass
        context.tracing.stop(path=os.path.join(out, "trace.zip"))
    else:
        context.tracing.stop()
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
