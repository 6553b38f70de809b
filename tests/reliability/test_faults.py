"""Faults, over real sockets against real server processes: kill -9 during writes, a read-only store,
a full disk, the partner unreachable or slow while the sandbox sends Send Card State, clock jumps.

What is checked each time is the promise a partner makes to Samsung: a request answered 200 is
stored, completely (no half rows), and a request that could not be stored is answered 503
``store_unavailable`` with ``Retry-After`` (never 200, never a 500 that reads as "your request is wrong").
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from linkkit._serving import ServerThread
from linkkit.config import Endpoints
from linkkit.identity import IdentityIds
from linkkit.links import transmit_link
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
from linkkit.partner.endpoints import STORE_RETRY_AFTER
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.testing import LocalIdentity, SandboxHandle
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.partner.conftest import DictCards, card_for
from tests.reliability.conftest import PartnerProcess, Samsung
from tests.reliability.report import Table

WRITERS = 4


def _stored(db: Path) -> tuple[str, set[str], list[str]]:
    """The file's integrity verdict, the refIds of its card rows and of its event rows."""
    conn = sqlite3.connect(db)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        cards = {row[0] for row in conn.execute("SELECT ref_id FROM cards")}
        events = [row[0] for row in conn.execute("SELECT ref_id FROM card_events")]
    finally:
        conn.close()
    return verdict, cards, events


def _write_until(
    samsung: Samsung, url: str, prefix: str, stop: threading.Event, results: list[tuple[str, int, Any]]
) -> None:
    """Send Card State for new refIds until ``stop``; each answer (or 0) goes to ``results``."""
    lock = threading.Lock()

    def writer(n: int) -> None:
        with httpx.Client(timeout=5.0) as http:
            i = 0
            while not stop.is_set():
                ref = f"{prefix}{n}-{i}"
                i += 1
                try:
                    response = samsung.send_card_state(http, url, ref)
                    answer: tuple[str, int, Any] = (ref, response.status_code, response.headers.get("retry-after"))
                except httpx.HTTPError as exc:
                    answer = (ref, 0, type(exc).__name__)
                with lock:
                    results.append(answer)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)


def _local_identity(identity: Identity) -> LocalIdentity:
    """The session identity as ``linkkit keys generate`` would have written it (for its signers)."""
    return LocalIdentity(
        ids=IdentityIds(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, card_id=CARD_ID),
        files=identity.files,
        partner_key=identity.partner_key,
        partner_cert=identity.partner_cert,
        samsung_key=identity.samsung_key,
        samsung_cert=identity.samsung_cert,
    )


def test_kill_9_during_writes_keeps_every_answered_write_and_no_half_row(
    partner_process: Callable[..., PartnerProcess], samsung: Samsung, tmp_path: Path, table: Table
) -> None:
    db = tmp_path / "partner.sqlite3"
    results: list[tuple[str, int, Any]] = []
    kills = 3
    for round_ in range(kills):
        child = partner_process(str(db))
        stop = threading.Event()
        writers = threading.Thread(target=_write_until, args=(samsung, child.url, f"k{round_}-", stop, results))
        writers.start()
        deadline = time.monotonic() + 10
        while sum(1 for _r, s, _ in results if s == 200) < 15 * (round_ + 1) and time.monotonic() < deadline:
            time.sleep(0.005)
        child.kill()  # mid-write: WRITERS requests are in flight
        stop.set()
        writers.join(30)
        # The next start opens the file the killed process left (WAL and all) and recovers it.
        verdict, cards, events = _stored(db)
        assert verdict == "ok"
    acknowledged = {ref for ref, status, _ in results if status == 200}
    unanswered = [ref for ref, status, _ in results if status == 0]
    assert {status for _r, status, _ in results} <= {200, 0}, results
    verdict, cards, events = _stored(db)
    # Every card row has its event row and no event has lost its card (a refId is added once).
    half_rows = len(cards.symmetric_difference(events)) + len(events) - len(set(events))
    lost = len(acknowledged - cards) + half_rows
    assert verdict == "ok" and lost == 0, (acknowledged - cards, half_rows)
    # After the last kill a new process serves, and Samsung's retry of an unanswered write is stored once.
    child = partner_process(str(db))
    with httpx.Client(timeout=5.0) as http:
        retried = [ref for ref in unanswered if ref not in cards][:3] + sorted(acknowledged)[:2]
        assert [samsung.send_card_state(http, child.url, ref).status_code for ref in retried] == [200] * len(retried)
    child.stop()
    _verdict, cards_after, events_after = _stored(db)
    assert set(retried) <= cards_after and len(events_after) == len(set(events_after))
    table.record(
        "kill -9 during writes (3 kills), restart",
        "partner, SQLite file",
        tries=len(results),
        refused=len(unanswered),
        served=len(acknowledged),
        lost=lost,
    )


def _unavailable(status: int, body: Any) -> bool:
    return status == 503 and isinstance(body, dict) and body.get("code") == "store_unavailable"


def test_a_read_only_store_answers_503_with_retry_after_and_acknowledges_nothing_unstored(
    partner_process: Callable[..., PartnerProcess], samsung: Samsung, tmp_path: Path, table: Table
) -> None:
    db = tmp_path / "partner.sqlite3"
    # The file turns read-only under a running server: each worker opens its connection at its first
    # request, and cannot write.
    child = partner_process(str(db), "--no-file-override")
    db.chmod(0o444)
    writes, reads = [], []
    with httpx.Client(timeout=5.0) as http:
        for i in range(8):
            response = samsung.send_card_state(http, child.url, f"ro-{i}")
            writes.append((response.status_code, response.json(), response.headers.get("retry-after")))
        for _ in range(3):
            reads.append(samsung.get_card_data(http, child.url, "ro-read").status_code)
    child.stop()
    db.chmod(0o644)
    refused = [w for w in writes if _unavailable(w[0], w[1]) and w[2] == str(STORE_RETRY_AFTER)]
    _verdict, cards, _events = _stored(db)
    acknowledged_but_missing = [w for i, w in enumerate(writes) if w[0] == 200 and f"ro-{i}" not in cards]
    assert len(refused) == len(writes), writes
    assert reads == [200, 200, 200], "reading the cards needs no write to the card file"
    # The next start, on a writable file again, stores.
    child = partner_process(str(db))
    with httpx.Client(timeout=5.0) as http:
        assert samsung.send_card_state(http, child.url, "ro-after").status_code == 200
    child.stop()
    assert "ro-after" in _stored(db)[1]
    table.record(
        "read-only database file (chmod 0444)",
        "partner, SQLite file",
        tries=len(writes) + len(reads),
        refused=len(refused),
        served=len(reads),
        lost=len(acknowledged_but_missing) + len(writes) - len(refused),
    )


def test_a_full_disk_answers_503_with_retry_after_and_acknowledges_nothing_unstored(
    partner_process: Callable[..., PartnerProcess], samsung: Samsung, tmp_path: Path, table: Table
) -> None:
    db = tmp_path / "partner.sqlite3"
    SQLiteStore(db).close()  # created before the limit: what the limit stops is growth
    limit = max(p.stat().st_size for p in tmp_path.glob("partner.sqlite3*")) + 96 * 1024
    child = partner_process(str(db), "--fsize", str(limit))
    answers: list[tuple[str, int, Any, str | None]] = []
    with httpx.Client(timeout=5.0) as http:
        for i in range(120):
            response = samsung.send_card_state(http, child.url, f"full-{i}")
            body = response.json() if response.content else None
            answers.append((f"full-{i}", response.status_code, body, response.headers.get("retry-after")))
            if sum(1 for a in answers if a[1] == 503) >= 10:
                break
    child.stop()
    statuses = {a[1] for a in answers}
    acknowledged = {a[0] for a in answers if a[1] == 200}
    refused = [a for a in answers if _unavailable(a[1], a[2]) and a[3] == str(STORE_RETRY_AFTER)]
    assert statuses <= {200, 503} and acknowledged and len(refused) >= 10, answers
    verdict, cards, events = _stored(db)
    lost = len(acknowledged - cards) + len(cards.symmetric_difference(events))
    assert verdict == "ok" and lost == 0
    # Disk space back: the next start stores again.
    child = partner_process(str(db))
    with httpx.Client(timeout=5.0) as http:
        assert samsung.send_card_state(http, child.url, "full-after").status_code == 200
    child.stop()
    table.record(
        "disk full (RLIMIT_FSIZE), restart",
        "partner, SQLite file",
        tries=len(answers),
        refused=len(refused),
        served=len(acknowledged),
        lost=lost + len(answers) - len(refused) - len(acknowledged),
    )


# -- the partner unreachable or slow while the sandbox sends Send Card State ------------------------------


class Gate:
    """WSGI middleware in front of the partner: ``delay`` seconds before each Send Card State."""

    def __init__(self, app: Any) -> None:
        self.app, self.delay = app, 0.0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "POST" and self.delay:
            time.sleep(self.delay)
        return self.app(environ, start_response)


@pytest.fixture
def sandbox_and_partner(identity: Identity, tmp_path: Path, loyalty_card: dict[str, Any]) -> Iterator[Any]:
    local = _local_identity(identity)
    config = SandboxConfig.from_identity(dict(identity.files), card_ids=frozenset(), partner_timeout=0.5)
    store = SQLiteStore(tmp_path / "partner.sqlite3")
    with ServerThread(create_app(config)) as sandbox_server:
        handle = SandboxHandle(sandbox_server.url, local)
        partner = PartnerServer(
            PartnerConfig(
                signer=local.partner_signer(), card_ids={CARD_ID}, endpoints=Endpoints.sandbox(sandbox_server.url)
            ),
            DictCards({(CARD_ID, "ref-1"): card_for(loyalty_card, "ref-1")}),
            store=store,
        )
        app = Flask("partner-behind-a-gate")
        app.register_blueprint(partner.blueprint())
        gate = Gate(app.wsgi_app)
        app.wsgi_app = gate  # type: ignore[method-assign]
        with ServerThread(app) as partner_server:
            try:
                yield handle, partner_server.url, gate, store, local
            finally:
                handle.close()
    store.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_partner_unreachable_or_slow_during_send_card_state_gives_one_card(
    sandbox_and_partner: Any, loyalty_card: dict[str, Any], table: Table
) -> None:
    handle, partner_url, gate, store, local = sandbox_and_partner
    signer = local.partner_signer()

    def add(ref_id: str) -> list[int]:
        link = transmit_link(CARD_ID, signer.card_data_token(card_for(loyalty_card, ref_id)), base=handle.url)
        session = handle.open_link(link)
        assert session["step"] == "preview", session
        added = handle.add(session)
        assert added["step"] == "added", added
        return list(added["partnerStatus"])

    tries = 0
    # Unreachable: the card is in the wallet, the partner heard nothing (status 0), once.
    handle.set_partner_url(f"http://127.0.0.1:{_closed_port()}")
    assert add("ref-down") == [0]
    # Slow: the sandbox gives up after partner_timeout (0.5 s); the partner stores it late.
    handle.set_partner_url(partner_url)
    gate.delay = 1.0
    started = time.monotonic()
    assert add("ref-slow") == [0]
    assert time.monotonic() - started < 1.0 + 0.5, "the sandbox waits partner_timeout, no more"
    gate.delay = 0.0
    # The user adds both again once the partner is back: one card each, on both sides.
    assert add("ref-down") == [200] and add("ref-slow") == [200]
    tries = 4
    calls = handle.calls(api="send_card_state")
    out = [c for c in calls if c["direction"] == "out"]
    assert len(out) == tries, "Samsung documents no retry towards partners: one call per add"
    cards = handle.cards()
    wallet_refs = sorted(c["refId"] for c in cards)
    time.sleep(0.6)  # the slow request finishes on the partner's side
    events = store.events(CARD_ID)
    duplicates = (len(wallet_refs) - len(set(wallet_refs))) + (len(events) - len({e.ref_id for e in events}))
    assert wallet_refs == ["ref-down", "ref-slow"] and duplicates == 0
    assert {e.ref_id for e in events} == {"ref-down", "ref-slow"}
    table.record(
        "partner unreachable, then slow (timeout 0.5 s), during Send Card State",
        "sandbox → partner",
        tries=tries,
        refused=2,
        served=2,
        lost=duplicates,
    )


# -- clock jumps ------------------------------------------------------------------------------------------------


class JumpingClock:
    """The partner's clock: the real time plus ``offset`` seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def test_clock_jumps_across_the_token_window_are_named_refusals(
    identity: Identity, samsung: Samsung, tmp_path: Path, loyalty_card: dict[str, Any], table: Table
) -> None:
    clock = JumpingClock()
    store = SQLiteStore(tmp_path / "partner.sqlite3", clock=clock)
    signer = _local_identity(identity).partner_signer()
    partner = PartnerServer(
        PartnerConfig(
            signer=signer, card_ids={CARD_ID}, clock=clock, endpoints=Endpoints.sandbox("http://127.0.0.1:9")
        ),
        DictCards({(CARD_ID, "ref-1"): card_for(loyalty_card, "ref-1")}),
        store=store,
    )
    answers: list[tuple[float, int, str | None]] = []
    path = f"/cards/{CARD_ID}/ref-1"
    with ServerThread(partner.wsgi_app()) as server, httpx.Client(timeout=5.0) as http:

        def call(headers: dict[str, str] | None = None) -> tuple[int, str | None]:
            response = http.get(server.url + path, headers=headers or samsung.headers("GET", path))
            code = response.json().get("code") if response.status_code == 401 else None
            answers.append((clock.offset, response.status_code, code))
            return response.status_code, code

        assert call() == (200, None)
        seen = samsung.headers("GET", path)
        assert call(seen) == (200, None)
        for offset, expected in (
            (120.0, "expired"),
            (-120.0, "from_future"),
            (3600.0, "expired"),
            (-86400.0, "from_future"),
        ):
            clock.offset = offset
            assert call() == (401, expected)
        clock.offset = 30.0  # within the window: a seen token is still a replay
        assert call(seen) == (401, "replayed")
        clock.offset = 0.0
        assert call(seen) == (401, "replayed")
        assert call() == (200, None)
    store.close()
    unnamed = [a for a in answers if a[1] != 200 and not a[2]]
    assert not unnamed
    table.record(
        "clock jumps ±120 s, +1 h, −1 day, back",
        "partner endpoints",
        tries=len(answers),
        refused=sum(1 for a in answers if a[1] == 401),
        served=sum(1 for a in answers if a[1] == 200),
        lost=len(unnamed),
    )


def test_a_read_only_postgresql_answers_503_with_retry_after_then_recovers_without_a_restart(
    fresh_url: str, samsung: Samsung, identity: Identity, loyalty_card: dict[str, Any], table: Table
) -> None:
    import psycopg

    from linkkit.partner import PostgreSQLStore

    database = fresh_url.rsplit("/", 1)[1]
    store = PostgreSQLStore(fresh_url, min_size=1, max_size=4, timeout=2.0)
    signer = _local_identity(identity).partner_signer()
    partner = PartnerServer(
        PartnerConfig(signer=signer, card_ids={CARD_ID}, endpoints=Endpoints.sandbox("http://127.0.0.1:9")),
        DictCards(),
        store=store,
    )
    answers: list[tuple[str, int, Any, str | None]] = []

    def flip(admin: Any, read_only: bool) -> None:
        # A failover to a standby, or an operator's switch: new sessions are read-only, and the
        # pool's sessions are ended so that it opens new ones.
        admin.execute(f"ALTER DATABASE {database} SET default_transaction_read_only = {'on' if read_only else 'off'}")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        )

    with (
        psycopg.connect(fresh_url, autocommit=True) as admin,
        ServerThread(partner.wsgi_app()) as server,
        httpx.Client(timeout=10.0) as http,
    ):

        def send(ref: str) -> int:
            response = samsung.send_card_state(http, server.url, ref)
            body = response.json() if response.content else None
            answers.append((ref, response.status_code, body, response.headers.get("retry-after")))
            return response.status_code

        assert send("pg-before") == 200
        flip(admin, True)
        refused = [send(f"pg-ro-{i}") for i in range(6)]
        flip(admin, False)
        # The pool finds each ended session when it hands it out (one 503 each, at most max_size),
        # then opens new ones: writes are stored again without a restart.
        after: list[int] = []
        while after[-2:] != [200, 200] and len(after) < 4 + 2:
            after.append(send(f"pg-after-{len(after)}"))
    store.close()
    assert refused == [503] * 6, answers
    assert all(_unavailable(a[1], a[2]) and a[3] == str(STORE_RETRY_AFTER) for a in answers if a[1] == 503)
    assert set(after) <= {200, 503} and after[-2:] == [200, 200], answers
    acknowledged = {a[0] for a in answers if a[1] == 200}
    check = PostgreSQLStore(fresh_url)
    stored = {e.ref_id for e in check.events(CARD_ID, limit=1000)}
    check.close()
    unexpected = {a[0] for a in answers if a[1] == 503} & stored
    table.record(
        "database read-only (default_transaction_read_only), then writable",
        "partner, PostgreSQL",
        tries=len(answers),
        refused=sum(1 for a in answers if a[1] == 503),
        served=len(acknowledged),
        lost=len(acknowledged - stored) + len(unexpected) + sum(1 for a in answers if a[1] not in (200, 503)),
    )
    assert acknowledged <= stored and not unexpected
