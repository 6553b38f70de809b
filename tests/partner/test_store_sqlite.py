"""What only the SQLite store does: its file (schema versions, WAL, the replay side file), its
connections per thread, and the in-memory variant. The contract both engines keep is in
test_store_contract.py."""

from __future__ import annotations

import gc
import sqlite3
import threading
from pathlib import Path

import pytest

from linkkit.errors import ReplayError, StoreError
from linkkit.partner import CardEventRecord, SQLiteStore, Store
from linkkit.partner.store import SCHEMA_VERSION
from tests.conftest import FrozenClock


def _event(
    event: str = "ADDED", *, ref_id: str = "r1", callback: str | None = "https://cb", rid: str = "x", at: float = 1.0
) -> CardEventRecord:
    return CardEventRecord(
        card_id="c1", ref_id=ref_id, event=event, cc2="US", callback=callback, request_id=rid, received_at=at
    )


def test_the_in_memory_store_is_one_database_shared_by_threads(clock: FrozenClock) -> None:
    store = SQLiteStore(":memory:", clock=clock)
    assert isinstance(store, Store)
    seen: list[bool] = []

    def worker(n: int) -> None:
        store.check_and_remember(f"id-{n}")
        store.record_event(_event(ref_id=f"r{n}", rid=str(n)))
        seen.append(store.card_status("c1", "r0") is not None or n == 0)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.events()) == 4 and len(store._connections) == 1
    with pytest.raises(ReplayError):
        store.check_and_remember("id-3")
    store.close()


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


def test_each_thread_gets_its_own_connection(tmp_path: Path, clock: FrozenClock) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3", clock=clock)
    errors: list[BaseException] = []
    done, release = threading.Barrier(7), threading.Event()

    def worker(n: int) -> None:
        try:
            for i in range(50):
                store.check_and_remember(f"{n}-{i}")
                store.record_event(_event(ref_id=f"r{n}-{i}", rid=f"{n}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        done.wait(10)
        release.wait(10)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    done.wait(10)
    assert len(store._connections) == 7  # the six workers' and the one that created the store
    release.set()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.events(limit=1000)) == 300
    # a thread's connection (and its file descriptors) goes with the thread: a threaded server
    # starts a thread per client connection
    gc.collect()
    assert len(store._connections) == 1
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


def test_a_closed_in_memory_store_says_so() -> None:
    store = SQLiteStore(":memory:")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.check_and_remember("after-close")
