"""The landing and session pages over HTTP: headers, the form steps, escaping (the browser run is in e2e/)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from linkkit.links import action_link, fetch_link, transmit_link
from linkkit.sandbox.landing import HTML_HEADERS, barcode_drawing, preview
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.partner.conftest import card_for
from tests.sandbox.conftest import Partner

XSS = '<script>alert("x")</script>'


def _post_link(sandbox: SandboxHandle, link: str) -> httpx.Response:
    response = sandbox.http.post("/_sandbox/open", data={"link": link})
    assert response.status_code == 303, response.text
    return sandbox.http.get(response.headers["location"])


@pytest.mark.parametrize("path", [f"/atw/v3/{CARD_ID}", f"/atw/v1/{CARD_ID}", f"/atw/v3/{CERTIFICATE_ID}/{CARD_ID}"])
def test_the_landing_page_is_a_shell_with_one_static_script(linkkit_sandbox: SandboxHandle, path: str) -> None:
    page = linkkit_sandbox.http.get(path)
    assert page.status_code == 200
    for name, value in HTML_HEADERS.items():
        assert page.headers[name] == value
    assert "script-src 'self'" in page.headers["content-security-policy"]
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts == ['<script src="/_sandbox/static/landing.js" defer>']
    assert linkkit_sandbox.http.get("/_sandbox/static/landing.js").status_code == 200
    assert linkkit_sandbox.http.get(f"/atw/v2/{CARD_ID}").status_code == 404


def test_the_fetch_flow_in_html(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    page = _post_link(linkkit_sandbox, fetch_link(CERTIFICATE_ID, CARD_ID, "ref-1", base=linkkit_sandbox.url))
    assert page.status_code == 200
    assert "Gold Member" in page.text and "Coffee &amp; Co" in page.text and "1234567890" in page.text
    assert 'data-serial-type="QRCODE"' in page.text
    assert page.headers["content-security-policy"] == HTML_HEADERS["Content-Security-Policy"]
    action = re.search(r'<form method="post" action="([^"]+/add)">', page.text)
    assert action is not None
    done = linkkit_sandbox.http.post(action.group(1))
    assert done.status_code == 303
    added = linkkit_sandbox.http.get(done.headers["location"])
    assert "Added to Samsung Wallet" in added.text and "HTTP 200" in added.text
    status = partner.store.card_status(CARD_ID, "ref-1")
    assert status is not None and status.event == "ADDED"


def test_card_values_are_escaped(
    linkkit_sandbox: SandboxHandle, partner: Partner, loyalty_card: dict[str, Any]
) -> None:
    card = card_for(loyalty_card, "ref-xss")
    attributes = card["card"]["data"][0]["attributes"]
    attributes["title"] = XSS
    attributes["barcode.value"] = '"><img src=x onerror=alert(1)>'
    page = _post_link(
        linkkit_sandbox, transmit_link(CARD_ID, partner.signer.card_data_token(card), base=linkkit_sandbox.url)
    )
    assert page.status_code == 200, page.text
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert "<img src=x" not in page.text
    # a javascript: URL is refused by validation; the preview would show only http(s) images anyway
    assert (
        preview(
            {
                "card": {
                    "type": "loyalty",
                    "subType": "others",
                    "data": [{"attributes": {"appLinkLogo": "javascript:alert(1)"}}],
                }
            }
        )["images"]
        == []
    )


def test_the_action_flow_in_html(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    page = _post_link(linkkit_sandbox, action_link(CERTIFICATE_ID, CARD_ID, base=linkkit_sandbox.url))
    assert "Enter the code we sent" in page.text
    assert re.findall(r'<input id="field-\d" name="(\w+)"', page.text) == ["phone", "otp"]
    action = re.search(r'action="([^"]+/auth)"', page.text)
    assert action is not None
    wrong = linkkit_sandbox.http.post(action.group(1), data={"phone": "1", "otp": "0"})
    assert "wrong code" in linkkit_sandbox.http.get(wrong.headers["location"]).text
    right = linkkit_sandbox.http.post(action.group(1), data={"phone": "1", "otp": "123456"})
    assert "Add to Samsung Wallet</button>" in linkkit_sandbox.http.get(right.headers["location"]).text


def test_errors_in_html(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    bad = linkkit_sandbox.http.post("/_sandbox/open", data={"link": "https://a.swallet.link/atw/v3/x#Clip?zdata=1"})
    assert bad.status_code == 400 and 'data-code="invalid_link"' in bad.text
    page = _post_link(linkkit_sandbox, fetch_link(CERTIFICATE_ID, CARD_ID, "missing", base=linkkit_sandbox.url))
    assert page.status_code == 400 and 'data-code="card_not_found"' in page.text
    assert linkkit_sandbox.http.get("/_sandbox/s/unknown").status_code == 404
    session = re.search(r"/_sandbox/s/([\w-]+)", page.url.path)
    assert session is not None
    again = linkkit_sandbox.http.post(f"/_sandbox/s/{session.group(1)}/add")
    assert again.status_code == 409 and "out_of_sequence" in again.text


def test_preview_of_dates_and_images() -> None:
    card = {
        "card": {
            "type": "ticket",
            "subType": "movies",
            "data": [
                {
                    "refId": "r",
                    "language": "en",
                    "attributes": {
                        "title": "T",
                        "startDate": 1_795_000_000_000,
                        "mainImg": "https://x/m.png",
                        "logoImage": "data:x",
                        "endDate": "not a number",
                    },
                }
            ],
        }
    }
    shown = preview(card)
    assert shown["dates"] == [("startDate", "2026-11-18 11:06 UTC")]
    assert shown["images"] == ["https://x/m.png"]
    assert preview(None) == {}


@pytest.mark.parametrize(
    ("attributes", "symbology"),
    [
        ({"barcode.value": "1234", "barcode.serialType": "QRCODE"}, "qrcode"),
        ({"barcode.value": "1234", "barcode.serialType": "SERIAL", "barcode.ptSubFormat": "QR_CODE"}, "qrcode"),
        ({"barcode.value": "1234", "barcode.serialType": "BARCODE"}, "code128"),
        ({"barcode.value": "1234", "barcode.serialType": "BARCODE", "barcode.ptSubFormat": "CODE_128"}, "code128"),
        ({"barcode.value": "1234", "barcode.serialType": "DUALBARCODE", "barcode.ptSubFormat": "CODE128"}, "code128"),
        ({"barcode.value": "1234", "barcode.serialType": "BARCODE", "barcode.ptSubFormat": "PDF_417"}, "text"),
        ({"barcode.value": "café", "barcode.serialType": "BARCODE"}, "text"),  # not Code 128 set B
        ({"barcode.value": "x" * 3000, "barcode.serialType": "QRCODE"}, "text"),  # no QR holds it
        ({"barcode.value": "1234", "barcode.serialType": "SERIALNUMBER"}, "text"),
        ({"barcode.serialType": "QRCODE"}, "none"),
    ],
)
def test_the_barcode_is_drawn_as_the_wallet_would(attributes: dict[str, str], symbology: str) -> None:
    drawn, svg = barcode_drawing(attributes)
    assert drawn == symbology
    assert (svg is not None) == (symbology in ("qrcode", "code128"))
    if svg is not None:
        assert str(svg).startswith("<svg") and 'role="img"' in svg
