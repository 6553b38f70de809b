"""Fixtures for the demo's browser tests; test modules load it with ``pytest_plugins``.

``demo_stack`` starts :class:`demo_site.runner.DemoStack` (what ``make demo`` runs) once per session
on free ports, in a temporary instance folder. ``demo`` gives each test a page in
``device_context`` (so a test that asks for it runs under all four devices) with helpers for the
steps every flow shares: open a card link, add the card in the sandbox wallet, read the operator
console.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from demo_site.runner import DemoStack, StackUrls

#: Generous for a loaded 2-core machine; every wait is event-based, so a pass is never slower.
TIMEOUT_MS = 15_000
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
#: Set to 1 to refresh docs/screenshots/*.png; otherwise they go to test-artifacts/screenshots.
UPDATE_SCREENSHOTS_ENV = "LINKKIT_UPDATE_SCREENSHOTS"


@pytest.fixture(scope="session")
def demo_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStack]:
    instance = tmp_path_factory.mktemp("demo-instance")
    # A long HTTP timeout: on a loaded 2-core machine a TLS handshake with a busy server can be slow.
    with DemoStack(instance_path=instance, port=0, poll_interval_ms=100, config={"HTTP_TIMEOUT": 20.0}) as stack:
        yield stack


class Demo:
    """One browser page on the demo, and the steps the flows share."""

    def __init__(self, page: Page, urls: StackUrls, device: str) -> None:
        self.page = page
        self.urls = urls
        self.device = device

    @property
    def touch(self) -> bool:
        return self.device != "desktop"

    def goto(self, path: str) -> Page:
        self.page.goto(self.urls.demo + path)
        return self.page

    def press(self, target: Locator) -> None:
        """Tap on touch devices, click elsewhere."""
        if self.touch:
            target.tap()
        else:
            target.click()

    def add_in_wallet(self, page: Page | None = None) -> Locator:
        """On the sandbox's Add to Wallet page: wait for the preview, add the card, see it added."""
        page = page or self.page
        preview = page.get_by_role("article", name="Card preview")
        expect(preview).to_be_visible()
        self.press(page.get_by_role("button", name="Add to Samsung Wallet"))
        expect(page.locator("#added")).to_have_text("Added to Samsung Wallet")
        # No dead end: the page offers the next steps.
        expect(page.get_by_role("link", name="See the card in the simulated wallet")).to_be_visible()
        expect(page.locator("#back-to-partner")).to_have_attribute("href", self.urls.demo + "/")
        return preview

    def operator_row(self, number: str) -> Locator:
        self.goto("/operator/")
        return self.page.locator(f"#card-{number}")

    def qr_link(self, selector: str = "#qr svg") -> str:
        """Decode the page's QR code from its pixels (zbar), as a phone camera would."""
        from PIL import Image
        from pyzbar.pyzbar import decode

        png = self.page.locator(selector).screenshot()
        found = decode(Image.open(io.BytesIO(png)))
        assert len(found) == 1, "exactly one QR code should decode"
        return str(found[0].data.decode("utf-8"))

    def doc_screenshot(self, name: str, page: Page | None = None, *, full_page: bool = False) -> Path | None:
        """``{name}-desktop.png`` under Desktop Chrome, ``{name}-phone.png`` under Pixel 7; None elsewhere."""
        suffix = {"desktop": "desktop", "android": "phone"}.get(self.device)
        if suffix is None:
            return None
        return self.screenshot(f"{name}-{suffix}", page, full_page=full_page)

    def screenshot(self, name: str, page: Page | None = None, *, full_page: bool = False) -> Path:
        """A small PNG of the viewport for the docs (``docs/screenshots/{name}.png`` when refreshing)."""
        target = SCREENSHOTS if os.environ.get(UPDATE_SCREENSHOTS_ENV) == "1" else Path("test-artifacts/screenshots")
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        raw = (page or self.page).screenshot(animations="disabled", caret="hide", full_page=full_page)
        _write_small_png(raw, path)
        return path


def _write_small_png(raw: bytes, path: Path) -> None:
    """Re-encode as a 64-colour palette PNG: a tenth of the size, still crisp for UI screenshots."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


@pytest.fixture
def demo(device_context: Any, demo_stack: DemoStack, device_name: str) -> Iterator[Demo]:
    page = device_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    yield Demo(page, demo_stack.urls, device_name)
    expect.set_options(timeout=5_000)  # Playwright's default, for the other suites
