"""The button endpoints over a real HTTP server, on both store engines: mint at click time from a
click-time link, funnel beacons, per-client rate limits, and the Add/View state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.errors import ConfigError
from linkkit.partner import CardEventRecord, ClickLinks, PartnerServer
from linkkit.partner.buttons import ButtonEndpoints, button_state
from linkkit.partner.ratelimit import RateLimit, RateLimiter
from tests.conftest import CARD_ID, FrozenClock
from tests.partner.conftest import ATW_BASE


@pytest.fixture
def buttons(partner: PartnerServer) -> ButtonEndpoints:
    return ButtonEndpoints(partner, mint_limit=RateLimit(rate=0.001, burst=3))


@pytest.fixture
def site(buttons: ButtonEndpoints) -> Iterator[httpx.Client]:
    app = Flask("buttons-test")
    app.register_blueprint(buttons.blueprint(url_prefix="/shop/buttons"))
    with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=5.0) as http:
        yield http


def test_mint_answers_a_fresh_data_transmit_link_and_spends_the_click_link(
    site: httpx.Client, click_links: ClickLinks
) -> None:
    token = click_links.create(CARD_ID, "ref-1", max_uses=1).rsplit("/", 1)[1]
    answer = site.post(f"/shop/buttons/mint/{token}", headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    href = answer.json()["href"]
    assert href.startswith(f"{ATW_BASE}/atw/v3/{CARD_ID}#Clip?cdata=")
    again = site.post(f"/shop/buttons/mint/{token}")
    assert again.status_code == 410 and again.json()["code"] == "exhausted"


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("POST", "/shop/buttons/mint/" + "A" * 28, {}, 404, "unknown"),  # the tag does not verify
        ("POST", "/shop/buttons/mint/bad!token", {}, 404, "unknown"),
        ("GET", "/shop/buttons/mint/" + "A" * 28, {}, 405, None),
        ("POST", "/shop/buttons/mint/" + "A" * 28, {"Sec-Fetch-Site": "cross-site"}, 403, "cross_site"),
        ("POST", "/shop/buttons/beacon", {"Sec-Fetch-Site": "cross-site"}, 403, "cross_site"),
    ],
)
def test_mint_refusals(
    site: httpx.Client, method: str, path: str, headers: dict[str, str], status: int, code: str | None
) -> None:
    answer = site.request(method, path, headers=headers)
    assert answer.status_code == status
    if code:
        assert answer.json()["code"] == code


def test_mint_is_rate_limited_per_client(site: httpx.Client, click_links: ClickLinks) -> None:
    token = click_links.create(CARD_ID, "ref-1").rsplit("/", 1)[1]
    statuses = [site.post(f"/shop/buttons/mint/{token}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = site.post(f"/shop/buttons/mint/{token}")
    assert limited.json()["code"] == "rate_limited" and int(limited.headers["retry-after"]) >= 1
    assert click_links.get(token).uses == 3  # type: ignore[union-attr]  # a refused mint spends nothing


def test_beacons_are_recorded_into_the_funnel(site: httpx.Client, store: Any, clock: FrozenClock) -> None:
    for event in ("impression", "impression", "click", "mint", "mint-error"):
        body = json.dumps({"event": event, "card": CARD_ID, "state": "add"})
        # navigator.sendBeacon(url, string) sends text/plain
        answer = site.post("/shop/buttons/beacon", content=body, headers={"Content-Type": "text/plain;charset=UTF-8"})
        assert answer.status_code == 204
    counts = {c.event: c.count for c in store.funnel_counts(clock.now - 10, clock.now + 10)}
    assert counts == {"impression": 2, "click": 1, "mint": 1, "mint-error": 1}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"event": "view", "card": "%s"}' % CARD_ID.encode(), 400, "invalid_event"),
        (b'{"event": "click", "card": "someone-elses"}', 400, "unknown_card"),
        (b'{"event": "click"}', 400, "unknown_card"),
        (b"[1]", 400, "invalid_body"),
        (b"not json", 400, "invalid_body"),
        (b'{"event": "click", "card": "' + b"x" * 2000 + b'"}', 413, "body_too_large"),
    ],
)
def test_beacon_refusals_name_the_field(
    site: httpx.Client, store: Any, clock: FrozenClock, body: bytes, status: int, code: str
) -> None:
    answer = site.post("/shop/buttons/beacon", content=body)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert store.funnel_counts(0, clock.now * 2) == []


def test_button_state_follows_send_card_state(store: Any, clock: FrozenClock) -> None:
    def event(name: str) -> CardEventRecord:
        clock.now += 1
        return CardEventRecord(CARD_ID, "ref-1", name, "US", None, name, clock.now)

    assert button_state(store, CARD_ID, "ref-1") == "add"
    store.record_event(event("ADDED"))
    assert button_state(store, CARD_ID, "ref-1") == "view"
    store.record_event(event("DELETED"))
    assert button_state(store, CARD_ID, "ref-1") == "add"


def test_endpoints_need_click_links(partner_config: Any, cards: Any, store: Any) -> None:
    with pytest.raises(ConfigError, match="^server: "):
        ButtonEndpoints(PartnerServer(partner_config, cards, store=store))


def test_rate_limiter_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(RateLimit(rate=1.0, burst=2), clock=lambda: now[0], max_clients=2)
    assert [limiter.allow("a"), limiter.allow("a")] == [None, None]
    assert limiter.allow("a") == pytest.approx(1.0)
    now[0] += 1.0
    assert limiter.allow("a") is None and limiter.allow("b") is None
    limiter.allow("c")  # "a" is forgotten first: it comes back with a full bucket
    assert limiter.allow("a") is None
    with pytest.raises(ConfigError, match="^burst:"):
        RateLimit(rate=1.0, burst=0)
    with pytest.raises(ConfigError, match="^rate:"):
        RateLimit(rate=0, burst=1)
