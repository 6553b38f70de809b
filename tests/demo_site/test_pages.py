"""Every page renders, escapes what it did not write, carries no secret, and says so visibly when a
service it needs is unreachable; links are the right kind for where they are shown."""

from __future__ import annotations

import re
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from demo_site.services import services_of
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.links import FetchLink, TransmitLink, parse_link
from linkkit.partner import CardEventRecord
from linkkit.verify import TokenVerifier
from tests.demo_site.conftest import csrf

PAGES = [
    "/",
    "/rewards",
    "/gift",
    "/cinema",
    "/flight",
    "/email/",
    "/email/message",
    "/join/",
    "/pay/",
    "/pay/terms",
    "/pay/done",
    "/operator/",
]
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def button_link(html: str) -> str:
    found = re.search(r'<a class="linkkit-button[^"]*"[^>]*href="([^"]+)"', html)
    assert found, "the page has a wallet button"
    return unescape(found.group(1))


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_and_reflects_no_hostile_query(client: FlaskClient, path: str) -> None:
    response = client.get(path, query_string={"next": HOSTILE, "q": HOSTILE, "refId": HOSTILE})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "onerror=alert" not in body
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/email/message"])
def test_pages_have_a_strict_csp_and_a_language(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_data_the_merchant_did_not_write_is_escaped(app: Flask, client: FlaskClient) -> None:
    client.get("/rewards")
    db = services_of(app).db
    card = db.cards()[0]
    db.update(card.ref_id, attrs={"tier": HOSTILE})
    for path in ("/rewards", "/operator/"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_no_secret_in_any_page(app: Flask, client: FlaskClient) -> None:
    services = services_of(app)
    secrets = [app.config["SECRET_KEY"], app.config["CLICK_LINK_SECRET"], "PRIVATE KEY", "BEGIN CERTIFICATE"]
    for path in PAGES:
        body = client.get(path).get_data(as_text=True)
        for secret in secrets:
            assert secret not in body, f"{path} shows a secret"
        # Never a Card Data Token in a page (it dies in 30 s): no cdata, nothing shaped like a JWS.
        assert "cdata=" not in body and not re.search(r"eyJ[A-Za-z0-9_-]{10,}\.", body), path
    assert services.settings.otp in client.get("/join/").get_data(as_text=True)  # the demo code is shown on purpose


def test_rewards_and_gift_show_a_data_fetch_link_for_the_visitors_card(app: Flask, client: FlaskClient) -> None:
    services = services_of(app)
    for path, kind in (("/rewards", "rewards"), ("/gift", "gift")):
        body = client.get(path).get_data(as_text=True)
        link = parse_link(button_link(body))
        assert isinstance(link, FetchLink)
        card = services.db.by_ref_id(link.ref_id)
        assert card is not None and card.kind == kind
        assert link.certificate_id == services.identity.certificate_id
        assert link.card_id == services.settings.card_ids[kind]
        assert f'id="card-number">{card.number}<' in body
        assert 'role="img"' in body  # the QR code has an accessible name
    # The same visitor keeps the same card (and a new one after "start over").
    again = parse_link(button_link(client.get("/rewards").get_data(as_text=True)))
    assert isinstance(again, FetchLink)
    client.post("/start-over", data={"csrf_token": csrf(client)})
    fresh = parse_link(button_link(client.get("/rewards").get_data(as_text=True)))
    assert isinstance(fresh, FetchLink) and fresh.ref_id != again.ref_id


def test_click_time_link_mints_a_fresh_data_transmit_link(app: Flask, client: FlaskClient, identity_dir: Path) -> None:
    services = services_of(app)
    body = client.get("/cinema").get_data(as_text=True)
    short = button_link(body)
    assert short.startswith(services.settings.partner_base_url + "/w/")
    assert short == button_link(client.get("/cinema").get_data(as_text=True))  # one link per card, not per view
    answer = client.get(urlsplit(short).path)
    assert answer.status_code == 302 and answer.headers["Cache-Control"] == "no-store"
    location = answer.headers["Location"]
    assert location.startswith(services.settings.sandbox_url + "/atw/v3/northwind-cinema#Clip?cdata=")
    link = parse_link(location)
    assert isinstance(link, TransmitLink)
    # Opened with Samsung's key and the partner certificate, as the wallet does (independent path).
    verifier = TokenVerifier(
        signer_public_key=public_key_of(load_certificate(identity_dir / "partner.crt")),
        partner_id=services.identity.partner_id,
        certificate_id=services.identity.certificate_id,
        decryption_key=load_private_key(identity_dir / "samsung.key"),
    )
    card = verifier.open_card_data_token(link.cdata).card
    entry = card["card"]["data"][0]
    assert card["card"]["type"] == "ticket" and entry["attributes"]["title"] == "The Lighthouse Keeper"
    assert services.db.by_ref_id(entry["refId"]) is not None


def test_join_shows_a_data_action_link(app: Flask, client: FlaskClient) -> None:
    link = button_link(client.get("/join/").get_data(as_text=True))
    certificate_id = services_of(app).identity.certificate_id
    assert link.endswith(f"/atw/v3/{certificate_id}/northwind-rewards#Clip?adata=user_auth")


def test_email_is_a_sandboxed_message_with_a_png_button_and_a_data_fetch_link(client: FlaskClient) -> None:
    page = client.get("/email/").get_data(as_text=True)
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    message = client.get("/email/message")
    csp = message.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox allow-popups" in csp and "script" not in csp
    html = message.get_data(as_text=True)
    assert "<script" not in html and 'class="' not in html
    assert "#Clip?pdata=" in html and "cdata=" not in html
    assert re.search(r'<img src="http://127\.0\.0\.1:5000/_linkkit/web/buttons/wallet/en-US/[^"]+@2x\.png"', html)
    # The preview's "HTML of the message" is the message itself, escaped.
    assert "&lt;table role=&#34;presentation&#34;" in page or "&lt;table role=&quot;presentation&quot;" in page


def test_pay_page_says_so_when_save_to_pay_is_unreachable(client: FlaskClient) -> None:
    body = client.get("/pay/").get_data(as_text=True)
    assert 'id="pay-notice" role="alert"' in body and "Save to Samsung Pay is unavailable" in body
    assert 'id="pay-button"' not in body


def test_operator_says_so_when_the_sandbox_is_unreachable(client: FlaskClient) -> None:
    body = client.get("/operator/").get_data(as_text=True)
    assert "The sandbox wallet at http://127.0.0.1:9 could not be read" in body


def test_operator_update_of_a_card_in_no_wallet_says_so(app: Flask, client: FlaskClient) -> None:
    client.get("/rewards")
    number = services_of(app).db.cards()[0].number
    answer = client.post(f"/operator/cards/{number}/update", data={"csrf_token": csrf(client)}, follow_redirects=True)
    body = answer.get_data(as_text=True)
    assert "flash-warning" in body and "Samsung does not know this card" in body


def test_operator_action_on_an_unreachable_sandbox_is_a_visible_error(app: Flask, client: FlaskClient) -> None:
    client.get("/rewards")
    services = services_of(app)
    card = services.db.cards()[0]
    # Samsung said the card was added: now the update is sent, and the sandbox is not there.
    services.partner_store.record_event(
        CardEventRecord(
            card_id="northwind-rewards",
            ref_id=card.ref_id,
            event="ADDED",
            cc2="US",
            callback=None,
            request_id="req-1",
            received_at=time.time(),
        )
    )
    answer = client.post(
        f"/operator/cards/{card.number}/update", data={"csrf_token": csrf(client)}, follow_redirects=True
    )
    body = answer.get_data(as_text=True)
    assert "flash-error" in body and "Samsung&#39;s API refused or could not be reached" in body


def test_forms_need_the_csrf_token(client: FlaskClient) -> None:
    assert client.post("/start-over").status_code == 400
    assert client.post("/operator/push", data={"email": "a@example.com", "csrf_token": "forged"}).status_code == 400
    # The partner endpoints are not cookie-authenticated: Samsung's AUTH token is what they check.
    answer = client.post("/samsung/cards/northwind-rewards/abc?cc2=US&event=ADDED", json={})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/operator/cards/NW-999999/update", 404),
        ("/operator/cards/<script>/update", 404),
        ("/operator/cards/NW-000001/explode", 404),
        ("/operator/screening/explode", 404),
    ],
)
def test_operator_refuses_unknown_targets(client: FlaskClient, path: str, status: int) -> None:
    assert client.post(path, data={"csrf_token": csrf(client)}).status_code == status


def test_operator_form_input_is_checked(client: FlaskClient) -> None:
    token = csrf(client)
    answer = client.post("/operator/push", data={"email": HOSTILE, "csrf_token": token}, follow_redirects=True)
    body = answer.get_data(as_text=True)
    assert "Enter the Samsung account" in body and "<script>alert" not in body
    answer = client.post(
        "/operator/templates", data={"title": "", "card_type": "coupon", "csrf_token": token}, follow_redirects=True
    )
    assert "A template needs a title" in answer.get_data(as_text=True)
    assert (
        client.post("/operator/templates/bad id/submit", data={"template_ref_id": "1", "csrf_token": token}).status_code
        == 400
    )


def test_operator_folds_the_cards_of_other_visits(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    for path in ("/rewards", "/gift"):
        other.get(path)  # someone else's visit, first
    client.get("/cinema")  # then ours
    services = services_of(app)
    services.db.issue(
        ref_id="signed-up-in-the-wallet", kind="rewards", holder="New member", attrs={"points": 100, "tier": "Green"}
    )
    body = client.get("/operator/").get_data(as_text=True)
    visits = re.findall(r'<details class="visit" id="(visit-\d+)"( open)?>\s*<summary>([^<]+)<', body)
    # newest first: the sign-up (no visit; open, as the newest group), ours (open), the other visit (folded)
    assert [(open_, label.strip()) for _, open_, label in visits[:2]] == [
        (" open", "Signed up in the wallet or sent to an account"),
        (" open", "Your visit"),
    ]
    assert visits[2][1] == "" and re.fullmatch(r"A visit from \d\d:\d\d:\d\d UTC", visits[2][2].strip())
    assert len(visits) == 3
    # every card is there, folded or not, with its number as the row id
    assert len(re.findall(r'<tr id="card-NW-\d{6}"', body)) == 4
    # each cell carries its column's name, for the phone layout
    assert 'data-label="Samsung said"' in body


def test_pay_status_says_what_the_server_knows(client: FlaskClient) -> None:
    assert client.get("/pay/status").status_code == 404  # no card in this session yet
    client.get("/pay/")
    answer = client.get("/pay/status")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json()["state"] == "not_added"
    assert 'id="pay-wallet" role="status" tabindex="-1"' in client.get("/pay/").get_data(as_text=True)


@pytest.mark.parametrize(
    "callback",
    [
        "http://[::1",
        "https://user@evil.example",
        "https://evil.example\r\nX-Evil: 1",
        "https://attacker.example" + HOSTILE,
        "https://attacker.example",
    ],
)
@pytest.mark.parametrize("action", ["update", "cancel"])
def test_a_stored_bad_callback_is_shown_escaped_and_never_sent_to(
    app: Flask, client: FlaskClient, callback: str, action: str
) -> None:
    client.get("/rewards")
    services = services_of(app)
    card = services.db.cards()[0]
    # stored by an older version, before Send Card State checked the allow-list
    services.partner_store.record_event(
        CardEventRecord(
            card_id="northwind-rewards",
            ref_id=card.ref_id,
            event="ADDED",
            cc2="US",
            callback=callback,
            request_id="req-bad",
            received_at=time.time(),
        )
    )
    console = client.get("/operator/")
    body = console.get_data(as_text=True)
    assert console.status_code == 200
    assert "<script>alert(1)" not in body and "refused: callback: " in body
    answer = client.post(
        f"/operator/cards/{card.number}/{action}", data={"csrf_token": csrf(client)}, follow_redirects=True
    )
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "flash-error" in body and "Not sent: Samsung&#39;s callback stored for this card is refused" in body
