"""After "Added", the sandbox offers the next steps: the card in the simulated wallet, and the way back
to the merchant (the card's app link, else the partner's site); over HTTP, with values escaped."""

from __future__ import annotations

import re
from typing import Any

from linkkit.links import fetch_link
from linkkit.sandbox.landing import back_to_partner
from linkkit.testing import SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID
from tests.partner.conftest import card_for
from tests.sandbox.conftest import Partner


def _add(sandbox: SandboxHandle, ref_id: str) -> str:
    opened = sandbox.http.post(
        "/_sandbox/open", data={"link": fetch_link(CERTIFICATE_ID, CARD_ID, ref_id, base=sandbox.url)}
    )
    session = opened.headers["location"]
    assert sandbox.http.post(session + "/add").status_code == 303
    return str(session)


def test_the_added_page_offers_the_wallet_and_the_way_back(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    session = _add(linkkit_sandbox, "ref-1")
    page = linkkit_sandbox.http.get(session).text
    assert page.index('id="added"') < page.index('aria-label="Card preview"')  # on screen first
    view = re.search(
        r'<a class="button" id="view-in-wallet" href="([^"]+)">See the card in the simulated wallet</a>', page
    )
    assert view is not None and view.group(1) == session + "/wallet"
    back = re.search(r'id="back-to-partner" href="([^"]+)">Back to ([^<]+)</a>', page)
    assert back is not None and back.groups() == ("https://example.com/app", "Coffee &amp; Co")

    wallet = linkkit_sandbox.http.get(view.group(1))
    assert wallet.status_code == 200
    assert wallet.headers["content-security-policy"].startswith("default-src 'none'")
    cards = re.findall(r'<article class="card card-loyalty( just-added)?"', wallet.text)
    assert cards == [" just-added"]
    assert "Gold Member" in wallet.text and "Coffee &amp; Co" in wallet.text
    assert linkkit_sandbox.http.get("/_sandbox/s/unknown/wallet").status_code == 404


def test_other_cards_come_after_the_one_just_added(linkkit_sandbox: SandboxHandle, partner: Partner) -> None:
    _add(linkkit_sandbox, "ref-1")
    session = _add(linkkit_sandbox, "ref-2")
    cards = linkkit_sandbox.http.get(session + "/wallet").text
    assert re.findall(r'<article class="card card-loyalty( just-added)?"', cards) == [" just-added", ""]


def test_the_way_back_is_http_only(loyalty_card: dict[str, Any]) -> None:
    card = card_for(loyalty_card, "r")
    attributes = card["card"]["data"][0]["attributes"]
    attributes["appLinkData"] = "javascript:alert(1)"
    # not the app link then, but the partner's site
    assert back_to_partner(card, "http://127.0.0.1:5000/samsung") == ("http://127.0.0.1:5000/", "the merchant's site")
    assert back_to_partner(card, "ftp://x/") is None
    attributes["appLinkData"] = "https://shop.example/app"
    assert back_to_partner(card, None) == ("https://shop.example/app", "Coffee & Co")
