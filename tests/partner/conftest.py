"""Partner endpoints on a real HTTP server, a Samsung-side signer to call them with, and the store
under test: every test that uses ``store`` runs once per engine (SQLite in memory, and PostgreSQL on
a throw-away server started once per session by scripts/pg_cluster.py)."""

from __future__ import annotations

import atexit
import copy
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
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
    PostgreSQLStore,
    SQLiteStore,
)
from linkkit.partner.stores.pg_schema import TABLES
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, FrozenClock, Identity

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from pg_cluster import Cluster, ClusterError

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


#: The engines every store-using test runs on.
ENGINES = ("sqlite", "postgresql")
AnyStore = SQLiteStore | PostgreSQLStore


@pytest.fixture(scope="session")
def postgresql_cluster() -> Iterator[Cluster]:
    """One PostgreSQL server for the session (stopped at the end, also after Ctrl-C or a failure)."""
    cluster = Cluster()
    atexit.register(cluster.stop)  # a second guard; the server also dies with this process
    try:
        cluster.start()
    except ClusterError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


def _pg_connect(url: str, **options: Any) -> Any:
    import psycopg

    return psycopg.connect(url, **options)


def empty_postgresql(url: str) -> None:
    """Remove every row linkkit wrote (tests share one database, one test at a time)."""
    with _pg_connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")


@pytest.fixture
def postgresql_url(postgresql_cluster: Cluster) -> Iterator[str]:
    """The session server's database, empty when the test starts and emptied after it."""
    yield postgresql_cluster.url
    empty_postgresql(postgresql_cluster.url)


@pytest.fixture
def fresh_url(postgresql_cluster: Cluster) -> Iterator[str]:
    """A new, empty database of the session's server (linkkit never ran there)."""
    name = "fresh_" + uuid.uuid4().hex[:12]
    with _pg_connect(postgresql_cluster.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} STRATEGY FILE_COPY")
    yield postgresql_cluster.url_for(name)
    with _pg_connect(postgresql_cluster.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_factory(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., AnyStore]]:
    """Makes stores of the test's engine on one database: ``store_factory(clock=clock)``. SQLite
    stores share a file, so that two of them see each other's rows as two PostgreSQL stores do."""
    url = request.getfixturevalue("postgresql_url") if engine == "postgresql" else str(tmp_path / "shared.sqlite3")
    made: list[AnyStore] = []

    def make(**options: Any) -> AnyStore:
        store: AnyStore = PostgreSQLStore(url, **options) if engine == "postgresql" else SQLiteStore(url, **options)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(engine: str, clock: FrozenClock, request: pytest.FixtureRequest) -> Iterator[AnyStore]:
    """The store under test: SQLite in memory (its file mode has its own tests), or PostgreSQL."""
    s: AnyStore
    if engine == "postgresql":
        s = PostgreSQLStore(request.getfixturevalue("postgresql_url"), clock=clock)
    else:
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
def click_links(store: AnyStore, clock: FrozenClock) -> ClickLinks:
    return ClickLinks(store=store, secrets=[CLICK_SECRET], base_url="http://partner.test/w", clock=clock)


@pytest.fixture
def partner(
    partner_config: PartnerConfig,
    cards: DictCards,
    store: AnyStore,
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
