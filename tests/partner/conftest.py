"""Partner endpoints on a real HTTP server, and a Samsung-side signer to call them with."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.config import Endpoints
from linkkit.partner import (
    ActionRegistry,
    ClickLinks,
    PartnerConfig,
    PartnerServer,
    SQLiteStore,
)
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, FrozenClock, Identity

CLICK_SECRET = b"k" * 32
ATW_BASE = "http://127.0.0.1:9"  # never contacted: click-time links only name it in Location


class DictCards:
    """A CardSource over a dict; records what it was asked."""

    def __init__(self, cards: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> None:
        self.cards: dict[tuple[str, str], Mapping[str, Any]] = dict(cards or {})
        self.asked: list[tuple[str, str, tuple[str, ...] | None]] = []

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        self.asked.append((card_id, ref_id, fields))
        return self.cards.get((card_id, ref_id))


def card_for(base: Mapping[str, Any], ref_id: str) -> dict[str, Any]:
    card = copy.deepcopy(dict(base))
    card["card"]["data"][0]["refId"] = ref_id
    return card


@pytest.fixture
def samsung_signer(identity: Identity, clock: FrozenClock) -> TokenSigner:
    """Signs the AUTH tokens Samsung sends to partners (Samsung's key, partnerId = ours)."""
    return TokenSigner(
        partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=identity.samsung_key, clock=clock
    )


@pytest.fixture
def store(clock: FrozenClock) -> Iterator[SQLiteStore]:
    # in memory: the file-backed store (WAL, threads, schema versions) has its own tests in test_store.py
    s = SQLiteStore(":memory:", clock=clock)
    yield s
    s.close()


@pytest.fixture
def cards(loyalty_card: dict[str, Any]) -> DictCards:
    return DictCards({(CARD_ID, "ref-1"): card_for(loyalty_card, "ref-1")})


@pytest.fixture
def partner_config(signer: TokenSigner, clock: FrozenClock) -> PartnerConfig:
    return PartnerConfig(signer=signer, card_ids={CARD_ID}, clock=clock, endpoints=Endpoints.sandbox(ATW_BASE))


@pytest.fixture
def actions() -> ActionRegistry:
    return ActionRegistry()


@pytest.fixture
def click_links(store: SQLiteStore, clock: FrozenClock) -> ClickLinks:
    return ClickLinks(store=store, secrets=[CLICK_SECRET], base_url="http://partner.test/w", clock=clock)


@pytest.fixture
def partner(
    partner_config: PartnerConfig,
    cards: DictCards,
    store: SQLiteStore,
    actions: ActionRegistry,
    click_links: ClickLinks,
) -> PartnerServer:
    return PartnerServer(partner_config, cards, store=store, actions=actions, click_links=click_links)


@dataclass
class Live:
    """A running partner app and an HTTP client that calls it the way Samsung does."""

    url: str
    signer: TokenSigner
    mount: str = ""
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=5.0))

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        token: str | None = None,
        token_method: str | None = None,
        token_path: str | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        bearer: bool = True,
    ) -> httpx.Response:
        """``path`` is relative to the mount; the token is bound to the full path unless told otherwise."""
        full = self.mount + path
        if isinstance(self.signer.clock, FrozenClock):
            # two milliseconds per call: two tokens minted in the same millisecond are identical,
            # and the partner refuses a token it has seen (replay by signature)
            self.signer.clock.now += 0.002
        if token is None:
            token = self.signer.auth_token(token_method or method, token_path or full)
        sent = {"Authorization": ("Bearer " if bearer else "") + token, "x-request-id": request_id or uuid.uuid4().hex}
        sent.update(headers or {})
        return self.http.request(method, self.url + full, params=query, json=json, content=content, headers=sent)


@pytest.fixture
def live(partner: PartnerServer, samsung_signer: TokenSigner) -> Iterator[Live]:
    app = Flask("partner-test")
    app.register_blueprint(partner.blueprint())
    with ServerThread(app) as server:
        client = Live(server.url, samsung_signer)
        yield client
        client.http.close()


@pytest.fixture
def request_id() -> Callable[[], str]:
    return lambda: uuid.uuid4().hex
