"""<samsung-wallet-button> in Chromium under a strict CSP, on a shop served with the real partner side.

The shop (one Flask app on 127.0.0.1) renders the element with ``linkkit.flask``'s helpers, serves
the partner endpoints Samsung calls and the button endpoints (mint, beacon) on one store; the
sandbox plays Samsung. Devices: Desktop Chrome, iPad, iPhone, Chrome on a Galaxy phone (reduced
User-Agent ``Android 10; K`` and the model in the client hints, set through CDP
``Emulation.setUserAgentOverride`` with ``userAgentMetadata``) and a Pixel. Every page is served
with ``script-src 'self'`` and ``style-src 'self'``; a CSP violation anywhere fails the test.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask, render_template_string, request
from PIL import Image
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import ZBarSymbol
from pyzbar.pyzbar import decode as zbar_decode

from linkkit.assets.gating import ACCEPT_CH, decide_from_headers
from linkkit.cards import Barcode, loyalty_card
from linkkit.flask import LinkKit
from linkkit.links import fetch_link
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, SQLiteStore
from linkkit.partner.buttons import ButtonEndpoints, button_state
from linkkit.partner.stats import funnel_report
from linkkit.testing import SandboxHandle, ServerThread

ARTIFACTS = Path("test-artifacts") / "buttons"
DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
#: Chrome on a Galaxy S24: the reduced User-Agent, the model only in the client hints.
SAMSUNG_METADATA = {
    "brands": [{"brand": "Chromium", "version": "131"}, {"brand": "Google Chrome", "version": "131"}],
    "fullVersionList": [{"brand": "Chromium", "version": "131.0.6778.39"}],
    "platform": "Android",
    "platformVersion": "14.0.0",
    "architecture": "",
    "model": "SM-S921B",
    "mobile": True,
}
#: device -> (Playwright descriptor, the mode the element must choose)
DEVICES = {
    "desktop": ("Desktop Chrome", "qr"),
    "ipad": ("iPad Pro 11", "qr"),
    "iphone": ("iPhone 13", "hidden"),
    "samsung": ("Pixel 7", "button"),  # a phone's screen; the identity comes from CDP below
    "pixel": ("Pixel 7", "hidden"),
}
SEVERE = ("serious", "critical")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "buttons.md"
DOC_SNIPPET = re.search(r"```html snippet\n(.*?)```", DOCS.read_text("utf-8"), re.S).group(1)  # type: ignore[union-attr]


def _card(ref_id: str) -> dict[str, Any]:
    return dict(
        loyalty_card(
            ref_id=ref_id,
            title="Gold Member",
            provider_name="Coffee & Co",
            app_link_logo="https://example.com/logo.png",
            app_link_name="Coffee & Co",
            app_link_data="https://example.com/app",
            barcode=Barcode(value="1234567890", serial_type="QRCODE", pt_format="QRCODESERIAL"),
        )
    )


class Cards:
    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        return _card(ref_id) if ref_id.startswith("ref-") else None


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Coffee &amp; Co</title>
{{ linkkit_wallet_button_assets(nonce=nonce) }}</head>
<body><main><h1>Your Gold card</h1><p id="server-gate" data-mode="{{ server.mode }}">{{ server.reason }}</p>
{{ button }}</main></body></html>"""


@dataclass
class Shop:
    url: str
    store: SQLiteStore
    links: ClickLinks
    card_id: str
    certificate_id: str
    #: Client-hint models the shop's pages were asked with.
    models: list[str | None] = field(default_factory=list)

    def page_url(self, **query: str) -> str:
        return self.url + "/?" + "&".join(f"{k}={v}" for k, v in query.items())

    def funnel(self) -> dict[str, int]:
        report = funnel_report(self.store, since=time.time() - 3600, until=time.time() + 3600)
        return {k: v for k, v in report.total.counts.items()}


@pytest.fixture
def shop(linkkit_sandbox: SandboxHandle, tmp_path: Path) -> Iterator[Shop]:
    identity = linkkit_sandbox.identity
    store = SQLiteStore(tmp_path / "shop.sqlite3")
    app = Flask("e2e-shop")
    LinkKit(app)
    holder: dict[str, Any] = {}
    server = ServerThread(lambda environ, start: holder["app"](environ, start))
    links = ClickLinks(store=store, secrets=[b"s" * 32], base_url=server.url + "/w")
    config = PartnerConfig(
        signer=identity.partner_signer(), card_ids={identity.card_id}, endpoints=linkkit_sandbox.endpoints
    )
    partner = PartnerServer(config, Cards(), store=store, click_links=links)
    app.register_blueprint(partner.blueprint())
    app.register_blueprint(ButtonEndpoints(partner).blueprint(url_prefix="/buttons"))
    shop = Shop(server.url, store, links, identity.card_id, identity.certificate_id)

    @app.get("/")
    def index() -> Any:
        args = request.args
        ref = args.get("ref", "ref-1")
        shop.models.append(request.headers.get("Sec-CH-UA-Model"))
        options: dict[str, Any] = {
            "card": shop.card_id,
            "locale": args.get("locale", "en-US"),
            "beacon_url": "/buttons/beacon",
            "state": button_state(store, shop.card_id, ref),
            "gate": args.get("gate", "auto"),
            "debug": True,
        }
        if args.get("static"):
            button = app.jinja_env.globals["linkkit_wallet_button"](
                fetch_link(shop.certificate_id, shop.card_id, ref, base=linkkit_sandbox.url), **options
            )
        else:
            click_link = links.create(shop.card_id, ref, max_uses=int(args.get("uses", "5")))
            if args.get("revoked"):
                links.revoke(click_link)
            token = click_link.rsplit("/", 1)[1]
            button = app.jinja_env.globals["linkkit_wallet_button"](
                mint_url=f"/buttons/mint/{token}", qr=click_link, **options
            )
        html = render_template_string(PAGE, button=button, server=decide_from_headers(request.headers), nonce=None)
        return html, {"Content-Security-Policy": CSP, ACCEPT_CH[0]: ACCEPT_CH[1]}

    @app.get("/snippet")
    def snippet() -> Any:
        # docs/buttons.md's plain HTML snippet as written, on this shop's paths and a real token
        token = links.create(shop.card_id, "ref-snippet").rsplit("/", 1)[1]
        html = DOC_SNIPPET.replace("/samsung/buttons/", "/buttons/").replace("TOKEN", token)
        head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Snippet</title></head>'
        page = f"{head}<body>{html}</body></html>"
        return page, {"Content-Security-Policy": CSP}

    holder["app"] = app.wsgi_app
    with server:
        linkkit_sandbox.set_partner_url(server.url)
        yield shop
    store.close()


@dataclass
class Browser:
    page: Page
    device: str
    console: list[str]
    violations: list[str]

    def press(self, target: Any) -> None:
        if self.device in ("ipad", "iphone", "samsung", "pixel"):
            target.tap()
        else:
            target.click()

    def mode(self) -> str:
        host = self.page.locator("samsung-wallet-button")
        expect(host).to_have_attribute("data-mode", _ANY_MODE)
        return str(host.get_attribute("data-mode"))


_ANY_MODE = re.compile("^(button|qr|hidden)$")


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def browser_page(playwright: Any, browser: Any, device: str) -> Iterator[Browser]:
    descriptor = dict(playwright.devices[DEVICES[device][0]])
    descriptor.pop("default_browser_type", None)
    context = browser.new_context(**descriptor)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if device == "samsung":
        cdp = context.new_cdp_session(page)
        cdp.send(
            "Emulation.setUserAgentOverride",
            {"userAgent": CHROME_ANDROID, "platform": "Linux armv8l", "userAgentMetadata": SAMSUNG_METADATA},
        )
    console: list[str] = []
    violations: list[str] = []

    def on_console(message: Any) -> None:
        console.append(message.text)
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    yield Browser(page, device, console, violations)
    context.close()


def _device_only(*names: str) -> Callable[[Any], Any]:
    return pytest.mark.parametrize("device", list(names), indirect=True)


def test_gating_decision_per_device(browser_page: Browser, shop: Shop) -> None:
    page = browser_page.page
    page.goto(shop.page_url())
    mode = browser_page.mode()
    assert mode == DEVICES[browser_page.device][1]
    reason = next(m for m in browser_page.console if m.startswith(f"samsung-wallet-button: {mode}: "))
    host = page.locator("samsung-wallet-button")
    if mode == "button":
        expect(page.get_by_role("button", name="Add to Samsung Wallet")).to_be_visible()
        assert "SM-S921B (Sec-CH-UA-Model SM-S921B)" in reason  # decided from the client hints
    elif mode == "qr":
        figure = host.locator("figure.swb-qr")
        expect(figure).to_be_visible()
        expect(figure.locator("figcaption")).to_have_text("Scan with your Samsung phone")
        assert host.get_by_role("button").count() == 0
        shot = Image.open(io.BytesIO(figure.locator("svg").screenshot())).convert("L")
        [found] = [s.data.decode() for s in zbar_decode(shot, symbols=[ZBarSymbol.QRCODE])]
        assert found.startswith(shop.url + "/w/") and shop.links.get(found) is not None  # the click-time link
    else:
        expect(host).to_be_hidden()
    # The server decides the same from the headers once Chromium sends the hints it was asked for.
    page.reload()
    assert browser_page.mode() == mode
    server_mode = page.locator("#server-gate").get_attribute("data-mode")
    if browser_page.device == "ipad":
        assert server_mode == "qr"  # the UA says iPad: no touch points needed on the server
    assert server_mode == mode
    if browser_page.device == "samsung":
        assert shop.models[-1] == '"SM-S921B"'
    assert browser_page.violations == []


@_device_only("samsung")
def test_click_mints_the_sandbox_opens_the_card_and_the_button_turns_to_view(
    browser_page: Browser, shop: Shop, linkkit_sandbox: SandboxHandle
) -> None:
    page = browser_page.page
    page.goto(shop.page_url(ref="ref-click"))
    button = page.get_by_role("button", name="Add to Samsung Wallet")
    expect(button).to_be_visible()
    # the impression beacon: at least half the button was visible
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/beacon'))")
    with page.expect_navigation(url=lambda url: url.startswith(linkkit_sandbox.url + "/")):
        browser_page.press(button)
    # The sandbox checked the freshly minted Data Transmit link and shows the card.
    card = page.get_by_role("article", name="Card preview")
    expect(card).to_contain_text("Gold Member")
    page.get_by_role("button", name="Add to Samsung Wallet").click()
    expect(page.get_by_role("status")).to_have_text("Added to Samsung Wallet")
    status = shop.store.card_status(shop.card_id, "ref-click")
    assert status is not None and status.event == "ADDED"
    [wallet_card] = [c for c in linkkit_sandbox.cards() if c["refId"] == "ref-click"]
    assert wallet_card["source"] == "transmit"
    # Back on the shop: Samsung said ADDED, so the button offers to view the card.
    page.goto(shop.page_url(ref="ref-click"))
    view = page.get_by_role("button", name="View in Samsung Wallet")
    expect(view).to_be_visible()
    expect(view).to_have_class(re.compile(r"\bswb-view\b"))
    funnel = shop.funnel()
    assert funnel.get("click") == 1 and funnel.get("mint") == 1 and funnel.get("add") == 1
    assert funnel.get("impression", 0) >= 1
    assert browser_page.violations == []


@_device_only("samsung")
def test_mint_failure_is_reported_accessibly(browser_page: Browser, shop: Shop) -> None:
    page = browser_page.page
    page.goto(shop.page_url(ref="ref-revoked", revoked="1", locale="de"))
    button = page.get_by_role("button", name="Zu Samsung Wallet hinzufügen")
    browser_page.press(button)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Samsung Wallet konnte nicht geöffnet werden. Bitte erneut versuchen.")
    expect(button).to_have_attribute("aria-busy", "false")
    assert page.url.startswith(shop.url)  # no navigation
    assert any("mint failed: Error: mint-url answered 410" in m for m in browser_page.console)
    deadline = time.time() + 5
    while shop.funnel().get("mint-error") != 1 and time.time() < deadline:
        time.sleep(0.05)
    assert shop.funnel().get("mint-error") == 1
    assert browser_page.violations == []


@_device_only("samsung")
def test_cancelled_click_neither_mints_nor_beacons(browser_page: Browser, shop: Shop) -> None:
    page = browser_page.page
    page.goto(shop.page_url(ref="ref-cancel", uses="1"))
    button = page.get_by_role("button", name="Add to Samsung Wallet")
    expect(button).to_be_visible()
    page.evaluate(
        "() => { window.seen = []; for (const n of ['swb-click', 'swb-mint']) "
        "document.addEventListener(n, e => { window.seen.push(n); if (n === 'swb-click') e.preventDefault() }) }"
    )
    browser_page.press(button)
    assert page.evaluate("() => window.seen") == ["swb-click"]
    expect(button).not_to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(300)  # a mint would have been sent at once
    assert page.url.startswith(shop.url)
    assert "click" not in shop.funnel() and "mint" not in shop.funnel()


@_device_only("desktop")
def test_static_href_opens_the_data_fetch_link(
    browser_page: Browser, shop: Shop, linkkit_sandbox: SandboxHandle
) -> None:
    page = browser_page.page
    page.goto(shop.page_url(ref="ref-static", static="1", gate="button"))
    link = page.get_by_role("link", name="Add to Samsung Wallet")
    expect(link).to_have_attribute("href", re.compile(r"/atw/v3/.+#Clip\?pdata=ref-static$"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('swb-b')")
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"
    with page.expect_navigation(url=lambda url: url.startswith(linkkit_sandbox.url + "/")):
        page.keyboard.press("Enter")
    expect(page.get_by_role("article", name="Card preview")).to_contain_text("Gold Member")
    assert [c["status"] for c in linkkit_sandbox.calls(api="get_card_data")] == [200]
    assert browser_page.violations == []


@_device_only("samsung", "desktop")
def test_axe_and_rtl(browser_page: Browser, shop: Shop) -> None:
    page = browser_page.page
    page.goto(shop.page_url(locale="ar"))
    browser_page.mode()
    results = Axe().run(page, options={"resultTypes": ["violations"], "iframes": False})
    severe = [v["id"] for v in results.response["violations"] if v["impact"] in SEVERE]
    assert severe == []
    if browser_page.device == "samsung":
        button = page.get_by_role("button", name="إضافة إلى Samsung Wallet")
        expect(button).to_have_attribute("dir", "rtl")
        expect(button).to_have_attribute("lang", "ar")
    else:
        expect(page.locator("figcaption")).to_have_text("امسح الرمز بهاتف Samsung")
    assert browser_page.violations == []


MATRIX = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Button matrix</title>
{{ linkkit_wallet_button_assets() }}<link rel="stylesheet" href="/matrix.css"></head><body><main>
<h1>samsung-wallet-button</h1>{% for row in rows %}<div class="row {{ row.theme }}">
{% for b in row.buttons %}{{ b }}{% endfor %}</div>{% endfor %}</main></body></html>"""


@_device_only("desktop")
def test_button_matrix_screenshot(browser_page: Browser, shop: Shop) -> None:
    from linkkit.flask import linkkit_wallet_button

    app = Flask("matrix")
    LinkKit(app)

    @app.get("/")
    def matrix() -> Any:
        rows = []
        for theme in ("light", "dark"):
            buttons = [
                linkkit_wallet_button(
                    "https://a.swallet.link/atw/v3/YMtt/card#Clip?pdata=x",
                    kind=kind,  # type: ignore[arg-type]
                    locale=locale,
                    theme=theme,  # type: ignore[arg-type]
                    layout=layout,  # type: ignore[arg-type]
                    state=state,  # type: ignore[arg-type]
                    gate="button",
                )
                for locale in ("en-US", "de", "ja", "ar")
                for kind, state in (("wallet", "add"), ("wallet", "view"), ("pay", "add"))
                for layout in ("horizontal", "vertical")
                if not (state == "view" and layout == "vertical")
            ]
            rows.append({"theme": theme, "buttons": buttons})
        return render_template_string(MATRIX, rows=rows), {"Content-Security-Policy": CSP}

    @app.get("/matrix.css")
    def css() -> Any:
        body = (
            "body{margin:0;font:14px sans-serif}.row{display:flex;flex-wrap:wrap;gap:10px;padding:12px;"
            "align-items:center}.light{background:#f4f5f7}.dark{background:#202124}h1{margin:8px 12px}"
        )
        return body, {"Content-Type": "text/css"}

    with ServerThread(app) as server:
        page = browser_page.page
        page.set_viewport_size({"width": 1400, "height": 400})
        page.goto(server.url + "/")
        page.wait_for_function(
            "() => [...document.querySelectorAll('samsung-wallet-button')].every(b => b.dataset.mode === 'button')"
            " && [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        )
        names = page.evaluate(
            "() => [...document.querySelectorAll('.swb-b')].map(b => b.textContent || b.querySelector('img').alt)"
        )
        assert "In Samsung Wallet ansehen" in names and "Samsung Payに保存" in names and len(names) == 2 * 4 * 5
        # LINKKIT_UPDATE_SCREENSHOTS=1 refreshes the picture docs/buttons.md shows.
        refresh = os.environ.get("LINKKIT_UPDATE_SCREENSHOTS") == "1"
        target = DOCS_SCREENSHOTS / "button-matrix.png" if refresh else ARTIFACTS / "element-matrix.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
    assert browser_page.violations == []


@_device_only("samsung")
def test_the_docs_plain_html_snippet_works_as_written(
    browser_page: Browser, shop: Shop, linkkit_sandbox: SandboxHandle
) -> None:
    page = browser_page.page
    page.goto(shop.url + "/snippet")  # its SRI hashes must match the served files, or nothing runs
    button = page.get_by_role("button", name="Add to Samsung Wallet")
    with page.expect_navigation(url=lambda url: url.startswith(linkkit_sandbox.url + "/")):
        browser_page.press(button)
    expect(page.get_by_role("article", name="Card preview")).to_contain_text("Gold Member")
    assert browser_page.violations == []
