"""The sandbox welcome page and wallet app pages: content, flags, headers, the QR code (decoded with
zbar from the page's own SVG), offline contact, expiry."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from .conftest import registration


class Page(HTMLParser):
    """Elements by id, with their attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str | None]] = {}
        self.text: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] = found | {"tag": tag}
            self.text[str(found["id"])] = ""
            self._open.append(str(found["id"]))
        elif self._open:
            self._open.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            if element:
                self.text[element] += data


def qr_text(html: str) -> str:
    """Decode the page's inline QR SVG: rasterize its path (``M x y`` then ``h n`` / ``m dx dy`` runs)."""
    svg = re.search(r"<svg[^>]*viewBox=\"0 0 (\d+) (\d+)\".*?</svg>", html, re.S)
    assert svg, "no QR SVG in the page"
    size, scale = int(svg.group(1)), 8
    image = Image.new("L", (size * scale, size * scale), 255)
    path = re.search(r"<path[^>]* d=\"([^\"]+)\"", svg.group(0)).group(1)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])\s*(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = float(a)
            for col in range(int(x), int(x + run)):
                image.paste(0, (col * scale, int(y - 0.5) * scale, (col + 1) * scale, (int(y - 0.5) + 1) * scale))
            x += run
    [symbol] = decode(image)
    return symbol.data.decode()


def test_the_welcome_page_shows_the_registration(client, sandbox):
    info = client.register(
        registration(partner_tnc_url="https://bank.example/terms", email="u@example.com", phone="+1(555)0100"),
        card_ref="card-1",
    )
    page = httpx.get(info.welcome_url)
    assert page.status_code == 200
    doc = Page(page.text)
    assert doc.text["card-name"].strip() == "Acme Platinum"
    assert doc.text["partner-name"] == "Acme Bank"
    assert doc.ids["card-art"]["src"] == "https://bank.example/art.png"
    assert doc.ids["partner-logo"]["src"] == "https://bank.example/logo.png"
    assert doc.ids["terms"]["href"] == "https://bank.example/terms"
    assert doc.ids["email"]["value"] == "u@example.com" and doc.ids["phone"]["value"] == "+1(555)0100"
    assert "send-link" not in doc.ids  # allowOfflineCommunication is off
    link = sandbox.engine.wallet_link(sandbox.registrations[0])
    assert qr_text(page.text) == link == doc.ids["open-wallet"]["href"]
    # The welcome URL is a bearer link: it must not leak to the partner's image hosts or caches.
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors" not in csp


def test_hide_flags_and_optional_members(client):
    info = client.register(
        registration(email="u@example.com", hide_email=True, phone="5550100", hide_phone=True), card_ref="card-1"
    )
    doc = Page(httpx.get(info.welcome_url).text)
    assert not {"email", "phone", "contact", "terms"} & set(doc.ids)
    info2 = client.register(registration(hide_phone=True), card_ref="card-2")
    doc2 = Page(httpx.get(info2.welcome_url).text)
    assert doc2.ids["email"]["value"] == "" and "phone" not in doc2.ids


def test_values_are_escaped(client):
    info = client.register(
        registration(card_name='<script>alert("x")</script>', partner_name="A & B"), card_ref="card-1"
    )
    html = httpx.get(info.welcome_url).text
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "A &amp; B" in html


def test_offline_contact(client, sandbox):
    info = client.register(registration(allow_offline_communication=True, email="u@example.com"), card_ref="c1")
    doc = Page(httpx.get(info.welcome_url).text)
    assert "send-link" in doc.ids
    answer = httpx.post(f"{info.welcome_url}/contact", json={"email": "new@example.com", "phone": "bad phone"})
    assert answer.status_code == 202 and answer.json() == {"sent": ["email"]}
    [sent] = sandbox.registrations[0].offline_contacts
    assert sent == {"email": "new@example.com", "link": sandbox.engine.wallet_link(sandbox.registrations[0])}
    assert httpx.post(f"{info.welcome_url}/contact", json={}).status_code == 400
    other = client.register(registration(), card_ref="c2")
    assert httpx.post(f"{other.welcome_url}/contact", json={"email": "a@b.c"}).status_code == 403


def test_an_expired_welcome_url_is_gone(client, sandbox_clock):
    info = client.register(registration(), card_ref="card-1")
    sandbox_clock.now += 24 * 3600
    for url in (info.welcome_url, f"{info.welcome_url}/status"):
        assert httpx.get(url).status_code == 410
    assert httpx.get(info.welcome_url.rsplit("/", 1)[0] + "/no-such-token").status_code == 410


def test_the_wallet_app_page(client, wallet):
    info = client.register(registration(), card_ref="card-1")
    link = wallet.scan(info.welcome_url)
    page = httpx.get(link)
    doc = Page(page.text)
    assert page.status_code == 200 and doc.text["card-name"] == "Acme Platinum"
    assert {
        f"outcome-{o}"
        for o in ("success", "failure", "card_already_present", "device_not_supported", "timeout", "cancel")
    } <= set(doc.ids)
    assert doc.ids["userId"]["value"] == "sandbox-user-0001"
    assert httpx.get(link + "x").status_code == 404


def test_static_assets_are_served(running):
    for name in ("s2p-welcome.js", "s2p-wallet.js", "s2p.css"):
        assert httpx.get(f"{running.welcome_base_url}/v1/static/{name}").status_code == 200


@pytest.mark.parametrize("origins", [("https://shop.example", "http://127.0.0.1:8000")])
def test_parent_origins_restrict_framing(identity, origins):
    from linkkit.sandbox.s2p import create_s2p_sandbox

    from .conftest import S2P_PARTNER_ID

    box = create_s2p_sandbox(
        identity.files, partner_id=S2P_PARTNER_ID, partner_notification_url="https://p.example", parent_origins=origins
    )
    box.welcome_base_url = "http://127.0.0.1:1"
    reg = box.engine.register(S2P_PARTNER_ID, registration().to_body()["registration"])
    with box.welcome_app.test_client() as tc:
        page = tc.get(f"/v1/welcome/{reg.welcome_token}")
    assert page.headers["Content-Security-Policy"].endswith(
        "frame-ancestors https://shop.example http://127.0.0.1:8000"
    )
    assert 'data-parent-origins="https://shop.example http://127.0.0.1:8000"' in page.get_data(as_text=True)
    box.close()


def test_the_welcome_script_never_posts_to_any_origin():
    # Messages go to the parent's origin learnt from s2p:hello, never to "*".
    from linkkit.sandbox.s2p.welcome import HERE

    script = (HERE / "static" / "s2p-welcome.js").read_text("utf-8")
    calls = re.findall(r"postMessage\((.*)\)\s*$", script, re.M)
    assert len(calls) == 3 and all(call.endswith(", parentOrigin") for call in calls)
