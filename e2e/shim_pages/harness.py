"""Helpers the shim's browser tests use to drive the partner page and the welcome iframe."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Frame, Locator, Page, expect

#: Short enough to keep the suite fast, long enough for a loaded 2-core machine.
QUICK_TIMEOUT_MS = 800


@dataclass(frozen=True, kw_only=True)
class ShimServers:
    partner: str  # http://127.0.0.1:P1
    welcome: str  # http://localhost:P2
    welcome_port: int

    def welcome_url(self, path: str = "/welcome", **params: str) -> str:
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.welcome}{path}{query}"

    def forge_url(self, message: Any, *, to: str = "parent", host: str = "localhost") -> str:
        query = urlencode({"m": json.dumps(message), "to": to})
        return f"http://{host}:{self.welcome_port}/forge?{query}"


class Shim:
    """One partner page and the welcome iframe inside it."""

    def __init__(self, page: Page, servers: ShimServers) -> None:
        self.page = page
        self.servers = servers
        self.modal: Locator = page.locator(".spay-s2p")
        self.dialog: Locator = page.locator(".spay-s2p [role=dialog]")
        self.close_button: Locator = page.locator(".spay-s2p-close")
        self._frame: Frame | None = None

    def goto(self, flavour: str = "classic", **params: str) -> Shim:
        params.setdefault("welcomeUrl", self.servers.welcome_url())
        # Generous: only the tests of the timeout itself want it short (a loaded machine is slow).
        params.setdefault("timeout", "60000")
        self.page.goto(f"{self.servers.partner}/page/{flavour}?{urlencode(params)}")
        self.page.wait_for_function("() => window.spay && window.spay.saveToPayUI")
        return self

    def open(self, overrides: dict[str, Any] | None = None, *, mode: str = "promise") -> None:
        """Calls the shim as a page script would (``showWelcomeModalPromise`` unless ``mode``)."""
        self.page.evaluate("([o, m]) => { harness.open(o, m) }", [overrides or {}, mode])

    def frame(self) -> Frame:
        """The welcome page inside the open modal, once its script has run."""
        handle = self.page.wait_for_selector("iframe.spay-s2p-frame")
        assert handle is not None
        frame = handle.content_frame()
        assert frame is not None
        if frame is not self._frame:
            frame.wait_for_function("() => typeof window.send === 'function'")
            self._frame = frame
        return frame

    def wait_hello(self) -> dict[str, Any]:
        frame = self.frame()
        frame.wait_for_function("() => window.hellos.length > 0")
        return dict(frame.evaluate("() => window.hellos[0]"))

    def send(self, *messages: Any) -> None:
        """Posts ``messages`` from the welcome page and waits until the partner page got them all.

        The shim's listener runs in the same dispatch as the harness's, so once the harness has
        recorded a message the shim has acted on it (or ignored it).
        """
        seen = self.page.evaluate("() => harness.messages.length")
        self.frame().evaluate("(ms) => ms.forEach(window.send)", list(messages))
        self.page.wait_for_function("(n) => harness.messages.length >= n", arg=seen + len(messages))

    def results(self) -> list[dict[str, Any]]:
        return list(self.page.evaluate("() => harness.results"))

    def wait_result(self, count: int = 1) -> dict[str, Any]:
        self.page.wait_for_function("(n) => harness.results.length >= n", arg=count)
        return dict(self.results()[count - 1])

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        events = list(self.page.evaluate("() => harness.events"))
        return [e for e in events if kind is None or e["type"] == kind]

    def expect_open(self) -> None:
        expect(self.modal).to_have_count(1)
        expect(self.dialog).to_have_attribute("aria-modal", "true")

    def active(self) -> str:
        """``tag#id`` of the element that has focus in the partner page."""
        return str(self.page.evaluate("() => document.activeElement.tagName + '#' + document.activeElement.id"))

    def expect_closed(self) -> None:
        expect(self.modal).to_have_count(0)
        expect(self.page.locator("[inert]")).to_have_count(0)
