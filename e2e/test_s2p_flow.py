"""Save to Pay end to end in a real browser: partner shop → shim → sandbox welcome UI → wallet app.

The partner shop (a small Flask app here) registers the card with :class:`~linkkit.clients.s2p.S2PClient`
over mutual TLS, shows the welcome UI with the shipped shim (``showWelcomeModalPromise``), and its
notification endpoint (mutual TLS the other way) hands the issuer blob to the sandbox. The test reads
the QR code off the screen with zbar, opens the simulated wallet app at that link, drives it to each
final state, and checks the promise result on every device, and the notification the
partner received.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, render_template_string, send_file
from PIL import Image
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import decode

from linkkit._serving import ServerThread
from linkkit.clients.s2p import S2PClient
from linkkit.identity import build_identity, random_ids
from linkkit.partner.s2p import NotificationHandler, create_notifications_app, notifications_tls_context
from linkkit.partner.s2p_store import NotificationStore
from linkkit.resources import shipped_file
from linkkit.s2p import Registration, RegistrationLedger
from linkkit.sandbox.s2p import RunningS2PSandbox, create_s2p_sandbox
from linkkit.tls import client_context

S2P_PARTNER_ID = "e2e-s2p-partner-0000-0000-0001"
BLOB = "issuer-blob-for-the-device"
WAIT_MS = 8000

SHOP_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Bank</title>
<link rel="stylesheet" href="/js/spay-s2p.css">
<script src="/js/spay-s2p.js"></script>
</head>
<body data-welcome-url="{{ welcome_url }}">
<h1>Your new Acme card</h1>
<button id="add" type="button">Add to Samsung Pay</button>
<button id="add-redirect" type="button">Add to Samsung Pay (redirect)</button>
<script>
  window.__result = null
  window.__statuses = []
  // The shim reports each status it accepts (spay:s2p-status): the test waits on it, not on a clock.
  window.addEventListener('spay:s2p-status', function (e) { window.__statuses.push(e.detail) })
  var url = document.body.dataset.welcomeUrl
  document.getElementById('add').addEventListener('click', function () {
    window.spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl: url }).then(function (r) { window.__result = r })
  })
  document.getElementById('add-redirect').addEventListener('click', function () {
    window.spay.saveToPayUI.showWelcomeModal({ welcomeUrl: url })
  })
</script>
</body></html>"""

ART_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="202"><rect width="320" height="202" rx="14" '
    b'fill="#1428a0"/><text x="20" y="180" fill="#fff" font-size="22">ACME</text></svg>'
)

# outcome of the wallet app → the promise's status and details.errorCode (Samsung's Status and ErrorCode enums)
EXPECTED = {
    "success": ("SUCCESS", None),
    "failure": ("FAILURE", "PROVISION_FAILURE"),
    "card_already_present": ("FAILURE", "CARD_ALREADY_PRESENT"),
    "timeout": ("FAILURE", "NETWORK_ERROR"),
    "cancel": ("FAILURE", "CANCELED"),
    "device_not_supported": ("DEVICE_NOT_SUPPORTED", None),
}
# outcome → (event.type, event.error) the partner's endpoint must have received last
NOTIFIED = {
    "success": ("WA_PROVISIONED", None),
    "card_already_present": ("WA_PROVISION_FAILURE", "CARD_ALREADY_PRESENT"),
}


@dataclass
class Stack:
    shop: str
    sandbox: RunningS2PSandbox
    store: NotificationStore


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    files = build_identity(random_ids(s2p_partner_id=S2P_PARTNER_ID))
    store = NotificationStore(":memory:")
    handler = NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=lambda _n: BLOB, store=store)
    partner_tls = notifications_tls_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        s2p_client_ca=files["partner-ca.crt"],
    )
    with ServerThread(create_notifications_app(handler), ssl_context=partner_tls) as endpoint:
        sandbox = create_s2p_sandbox(
            files, partner_id=S2P_PARTNER_ID, partner_notification_url=endpoint.url, poll_interval_ms=50
        )
        with sandbox.serve() as running:
            client = S2PClient(
                partner_id=S2P_PARTNER_ID,
                tls=client_context(
                    certificate=files["partner-client.crt"],
                    private_key=files["partner-client.key"],
                    server_ca=files["samsung-ca.crt"],
                ),
                ledger=RegistrationLedger(Path(tmp_path_factory.mktemp("shop")) / "s2p.sqlite3"),
                base_url=running.api_url,
            )
            shop = _shop_app(client)
            with ServerThread(shop, host="localhost") as shop_server:
                shop.config["BASE"] = f"http://localhost:{shop_server.port}"
                yield Stack(shop=shop.config["BASE"], sandbox=running, store=store)
            client.close()
        sandbox.close()
    store.close()


def _shop_app(client: S2PClient) -> Flask:
    app = Flask("e2e_s2p_shop")

    @app.get("/js/<name>")
    def shim(name: str) -> Response:
        path = shipped_file("js", name)  # what the wheel ships, not a copy
        return send_file(path, mimetype="text/css" if name.endswith(".css") else "text/javascript", max_age=0)

    @app.get("/img/<name>.svg")
    def image(name: str) -> Response:
        return Response(ART_SVG, mimetype="image/svg+xml")

    @app.get("/checkout/<card_ref>")
    def checkout(card_ref: str) -> str:
        base = app.config["BASE"]
        info = client.register(
            Registration(
                card_name="Acme Platinum",
                card_art_url=f"{base}/img/art.svg",
                partner_name="Acme Bank",
                partner_logo_url=f"{base}/img/logo.svg",
                partner_tnc_url=f"{base}/terms",
                welcome_callback_url=f"{base}/done",
            ),
            card_ref=card_ref,
        )
        return render_template_string(SHOP_PAGE, welcome_url=client.welcome_url(card_ref) or info.welcome_url)

    @app.get("/done")
    def done() -> str:
        return "<!doctype html><title>Done</title><h1 id=done>Thanks</h1>"

    return app


def _open_welcome(page: Page, stack: Stack, card_ref: str, button: str = "#add") -> Any:
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{stack.shop}/checkout/{card_ref}")
    page.click(button)
    frame = page.frame_locator("iframe.spay-s2p-frame")
    expect(frame.locator("#card-name")).to_have_text("Acme Platinum")
    expect(frame.locator("#partner-name")).to_have_text("Acme Bank")
    return frame


def _scan(frame: Any) -> str:
    """Read the QR code off the screen, as a phone camera would."""
    png = frame.locator("#qr svg").screenshot()
    symbols = decode(Image.open(io.BytesIO(png)))
    assert len(symbols) == 1, "the QR code on screen does not decode"
    return str(symbols[0].data.decode())


def _wallet(page: Page, link: str, outcome: str) -> None:
    wallet = page.context.new_page()
    wallet.set_default_timeout(WAIT_MS)
    wallet.goto(link)
    wallet.click("#link")
    expect(wallet.locator("#session")).to_be_visible()
    wallet.click(f"#outcome-{outcome}")
    expect(wallet.locator("#result")).to_have_attribute("data-state", "final")
    wallet.close()


# Every outcome on desktop and Android (the two promise rules); tablet and iOS follow
# the desktop rule, so one outcome each keeps the suite fast.
CASES = [(d, o) for d in ("desktop", "android") for o in EXPECTED] + [
    ("tablet", "card_already_present"),
    ("ios", "success"),
]


@pytest.mark.parametrize(("device_name", "outcome"), CASES)
def test_every_final_state_reaches_the_promise(
    device_context: Any, device_name: str, stack: Stack, outcome: str
) -> None:
    page = device_context.new_page()
    card_ref = f"card-{uuid.uuid4().hex[:12]}"
    frame = _open_welcome(page, stack, card_ref)
    link = _scan(frame)
    assert link.startswith(f"{stack.sandbox.welcome_base_url}/v1/wallet/")
    # The hello told the page which device it runs on: only an Android phone gets the same-device link.
    same_device = frame.locator("#open-wallet")
    simulated = frame.locator("#open-simulated-wallet")
    assert simulated.get_attribute("href") == link  # the sandbox's way to the wallet without a phone
    if device_name == "android":
        expect(same_device).to_be_visible()
        assert same_device.get_attribute("href") == link
        expect(simulated).to_be_hidden()
    else:
        expect(same_device).to_be_hidden()
        expect(simulated).to_be_visible()
    expect(frame.get_by_role("button", name="Close")).to_have_count(0)  # the shim's is the one
    _wallet(page, link, outcome)
    status, code = EXPECTED[outcome]
    expect(frame.locator("#status")).to_have_attribute("data-phase", "final")
    if device_name == "android":
        # Android resolves as soon as the session ends; the modal is still open.
        page.wait_for_function("() => window.__result !== null")
        expect(page.locator("iframe.spay-s2p-frame")).to_be_visible()
        closed = False
    else:
        # Desktop, tablet, iOS: only closing resolves, with the last status seen.
        page.wait_for_function("() => window.__statuses.some(function (s) { return s.final })")
        assert page.evaluate("() => window.__result") is None
        # Escape inside the welcome page: it asks the shim to close (s2p:close); the page draws no
        # close button of its own, the shim's modal has the one. Only the key down: the frame is gone
        # before a key up could reach it.
        frame.locator("#open-simulated-wallet").focus()
        page.keyboard.down("Escape")
        page.wait_for_function("() => window.__result !== null")
        page.keyboard.up("Escape")
        expect(page.locator("iframe.spay-s2p-frame")).to_have_count(0)
        closed = True
    result = page.evaluate("() => window.__result")
    assert result["status"] == status and result["isIframeClosed"] is closed
    assert (result.get("details") or {}).get("errorCode") == code
    # The partner heard the matching notification over mutual TLS.
    reg_id = _reg_id(stack, link)
    last = stack.store.latest(reg_id)
    assert last is not None
    kind, error = NOTIFIED.get(outcome, ("WA_PROVISION_FAILURE", None))
    assert (last.notification.type, last.notification.error) == (kind, error)
    assert [s.notification.type for s in stack.store.for_registration(reg_id)] == ["WA_READY", kind]


def _reg_id(stack: Stack, link: str) -> str:
    sandbox = stack.sandbox.sandbox
    token = link.rsplit("/", 1)[1]
    reg = sandbox.engine.book.by_scan_token(token)
    assert reg is not None
    return reg.id


@pytest.mark.parametrize("device_name", ["desktop"])
def test_closing_before_anything_happens_resolves_default_pending(device_context: Any, stack: Stack) -> None:
    page = device_context.new_page()
    frame = _open_welcome(page, stack, f"card-{uuid.uuid4().hex[:12]}")
    expect(frame.locator("#qr svg")).to_be_visible()
    page.locator(".spay-s2p-close").click()  # the shim's own close button
    page.wait_for_function("() => window.__result !== null")
    assert page.evaluate("() => window.__result") == {"status": "DEFAULT_PENDING", "isIframeClosed": True}


@pytest.mark.parametrize("device_name", ["desktop"])
def test_show_welcome_modal_redirects_to_the_welcome_callback(device_context: Any, stack: Stack) -> None:
    page = device_context.new_page()
    frame = _open_welcome(page, stack, f"card-{uuid.uuid4().hex[:12]}", button="#add-redirect")
    _wallet(page, _scan(frame), "success")
    page.wait_for_url(f"{stack.shop}/done")
    expect(page.locator("#done")).to_have_text("Thanks")


@pytest.mark.parametrize("device_name", ["desktop"])
def test_welcome_and_wallet_pages_have_no_axe_violations(device_context: Any, stack: Stack) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = device_context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{stack.shop}/checkout/card-{uuid.uuid4().hex[:12]}")
    welcome_url = page.locator("body").get_attribute("data-welcome-url")
    assert welcome_url
    page.goto(welcome_url)  # opened as a page, as from an email link
    expect(page.locator("#qr svg")).to_be_visible()
    axe = Axe()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.goto(str(page.locator("#open-wallet").get_attribute("href")))
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
