"""The SQLite store: schema versions, replay window, events, sessions, threads, the in-memory variant."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from pathlib import Path

import pytest

from linkkit.errors import ReplayError, StoreError
from linkkit.partner import ActionSession, CardEventRecord, SQLiteStore, Store
from linkkit.partner.store import SCHEMA_VERSION
from tests.conftest import FrozenClock


def _event(
    event: str = "ADDED", *, ref_id: str = "r1", callback: str | None = "https://cb", rid: str = "x", at: float = 1.0
) -> CardEventRecord:
    return CardEventRecord(
        card_id="c1", ref_id=ref_id, event=event, cc2="US", callback=callback, request_id=rid, received_at=at
    )


@pytest.fixture(params=["file", "memory"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path, clock: FrozenClock) -> SQLiteStore:
    path = tmp_path / "s.sqlite3" if request.param == "file" else ":memory:"
    store = SQLiteStore(path, clock=clock)
    request.addfinalizer(store.close)
    return store


def test_it_is_a_store(any_store: SQLiteStore) -> None:
    assert isinstance(any_store, Store)


def test_the_schema_is_versioned_and_reopening_keeps_data(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "s.sqlite3"
    store = SQLiteStore(path, clock=clock)
    store.record_event(_event())
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = SQLiteStore(path, clock=clock)
    assert len(again.events()) == 1
    again.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_an_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot"):
        SQLiteStore(tmp_path / "missing-dir" / "s.sqlite3")


def test_replay_window(any_store: SQLiteStore, clock: FrozenClock) -> None:
    any_store.check_and_remember("a")
    with pytest.raises(ReplayError):
        any_store.check_and_remember("a")
    clock.now += 150
    with pytest.raises(ReplayError):
        any_store.check_and_remember("a")
    clock.now += 1
    any_store.check_and_remember("a")
    any_store.check_and_remember("b", token="h.p.sig1")
    with pytest.raises(ReplayError):
        any_store.check_and_remember("c", token="other.h.sig1")  # the same signature, a new id
    any_store.check_and_remember("d", token="h.p.sig2")
    with pytest.raises(ReplayError):
        any_store.check_and_remember("")


def test_replay_ids_are_pruned(any_store: SQLiteStore, clock: FrozenClock) -> None:
    for i in range(999):
        any_store.check_and_remember(f"old-{i}", token=f"t.t.{i}")
    clock.now += 200
    any_store.check_and_remember("the-1000th")  # triggers the prune
    with any_store._connection() as conn:
        # the old ids and signatures went
        assert conn.execute("SELECT count(*) FROM replay.seen_requests").fetchone()[0] == 1


def test_events_are_stored_once_per_change(any_store: SQLiteStore) -> None:
    assert any_store.record_event(_event(rid="1")) is True
    assert any_store.record_event(_event(rid="2")) is False  # same event again
    assert any_store.record_event(_event(rid="3", callback=None)) is False  # no callback: keeps the old one
    assert any_store.record_event(_event(rid="4", callback="https://other")) is True  # the callback moved
    assert any_store.record_event(_event("DELETED", rid="5", callback=None, at=2.0)) is True
    assert any_store.record_event(_event("ADDED", rid="6", callback=None, at=3.0)) is True  # re-added later
    assert [e.request_id for e in any_store.events()] == ["6", "5", "4", "1"]
    status = any_store.card_status("c1", "r1")
    assert status is not None and status.callback == "https://other" and status.event == "ADDED"
    assert any_store.card_status("c1", "nope") is None
    any_store.record_event(_event(ref_id="r2"))
    assert [e.ref_id for e in any_store.events("c1", "r2")] == ["r2"]
    assert len(any_store.events("c1")) == 5 and len(any_store.events(limit=2)) == 2


def test_action_sessions_expire(any_store: SQLiteStore, clock: FrozenClock) -> None:
    session = ActionSession(card_id="c1", ref_id="s1", expected="USER_AUTH", fields=("otp",), expires_at=clock.now + 10)
    any_store.save_action_session(session)
    assert any_store.load_action_session("c1", "s1") == session
    clock.now += 10
    assert any_store.load_action_session("c1", "s1") is None
    any_store.save_action_session(dataclasses.replace(session, expires_at=clock.now + 5))
    assert any_store.load_action_session("c1", "s1") is not None
    any_store.delete_action_session("c1", "s1")
    assert any_store.load_action_session("c1", "s1") is None


def test_each_thread_gets_its_own_connection(tmp_path: Path, clock: FrozenClock) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3", clock=clock)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(50):
                store.check_and_remember(f"{n}-{i}")
                store.record_event(_event(ref_id=f"r{n}-{i}", rid=f"{n}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.events(limit=1000)) == 300
    assert len(store._connections) >= 6
    store.close()
    assert store._connections == []


def test_a_damaged_replay_file_is_replaced(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "s.sqlite3"
    store = SQLiteStore(path, clock=clock)
    store.record_event(_event())
    store.check_and_remember("before")
    store.close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"s.sqlite3-replay{suffix}").unlink(missing_ok=True)
    (tmp_path / "s.sqlite3-replay").write_bytes(b"this is not a database" * 100)
    again = SQLiteStore(path, clock=clock)
    again.check_and_remember("before")  # the request ids are gone with the file; the events are not
    assert len(again.events()) == 1
    again.close()
