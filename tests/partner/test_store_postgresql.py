"""What only the PostgreSQL store does: versioned migrations (applied once, however many workers
start together), schema checks, its pool across a fork, and errors that name no secret."""

from __future__ import annotations

import multiprocessing
import os
import uuid

import psycopg
import pytest

from linkkit.errors import ReplayError, StoreError
from linkkit.partner import PostgreSQLStore
from linkkit.partner.stores import PostgreSQLNotificationStore, open_store
from linkkit.partner.stores.pg_schema import MIGRATIONS, SCHEMA_VERSION, TABLES, upgrade
from tests.partner.conftest import Cluster


def _versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM linkkit_schema ORDER BY version")]


def test_the_schema_is_created_and_versioned(fresh_url: str) -> None:
    store = PostgreSQLStore(fresh_url)
    store.close()
    assert _versions(fresh_url) == [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    with psycopg.connect(fresh_url) as conn:
        kinds = dict(
            conn.execute("SELECT relname, relpersistence FROM pg_class WHERE relname = ANY(%s)", (list(TABLES),))
        )
    # every table exists; only the replay records skip the WAL (and its fsync)
    assert kinds == {name: ("u" if name == "linkkit_replay" else "p") for name in TABLES}
    with psycopg.connect(fresh_url, autocommit=True) as conn:
        assert upgrade(conn) == (SCHEMA_VERSION, SCHEMA_VERSION)  # nothing left to do


def _start_worker(url: str) -> str:
    store = PostgreSQLStore(url)
    store.check_and_remember(uuid.uuid4().hex)
    store.close()
    return "ok"


def test_workers_starting_together_migrate_once(fresh_url: str) -> None:
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_start_worker, [fresh_url] * 4) == ["ok"] * 4
    assert _versions(fresh_url) == list(range(1, SCHEMA_VERSION + 1))


def test_a_newer_schema_is_refused(fresh_url: str) -> None:
    PostgreSQLStore(fresh_url).close()
    with psycopg.connect(fresh_url, autocommit=True) as conn:
        conn.execute("INSERT INTO linkkit_schema (version, description) VALUES (%s, 'from the future')", (99,))
    with pytest.raises(StoreError, match="version 99, newer than this code's"):
        PostgreSQLStore(fresh_url)


def test_without_migrate_an_old_schema_is_refused_until_upgraded(fresh_url: str) -> None:
    with pytest.raises(StoreError, match="linkkit db upgrade"):
        PostgreSQLStore(fresh_url, migrate=False)
    PostgreSQLStore(fresh_url).close()  # migrates
    PostgreSQLStore(fresh_url, migrate=False).close()


def test_errors_and_repr_name_no_password(postgresql_cluster: Cluster) -> None:
    secret = "s3cret-pw"
    url = f"postgresql://linkkit:{secret}@127.0.0.1:{postgresql_cluster.port}/linkkit"
    store = open_store(url)
    assert isinstance(store, PostgreSQLStore) and secret not in repr(store) and "127.0.0.1" in repr(store)
    store.close()
    closed_port = postgresql_cluster.port + 1 if postgresql_cluster.port < 65535 else 1
    with pytest.raises(StoreError) as refused:
        PostgreSQLStore(f"postgresql://linkkit:{secret}@127.0.0.1:{closed_port}/linkkit", timeout=2)
    assert "cannot connect" in str(refused.value) and secret not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_a_failing_statement_is_a_store_error(postgresql_url: str) -> None:
    store = PostgreSQLStore(postgresql_url)
    with pytest.raises(StoreError, match=r"LIMIT must not be negative \[2201W\]"):
        store.events(limit=-1)
    store.check_and_remember("still-works")  # the connection went back to the pool usable
    store.close()


def test_a_forked_worker_opens_its_own_connections(postgresql_url: str) -> None:
    store = PostgreSQLStore(postgresql_url)
    store.check_and_remember("before-fork")  # the parent's pool is open now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        code = 1
        try:
            store.check_and_remember("in-child")
            try:
                store.check_and_remember("before-fork")
            except ReplayError:
                code = 0
        finally:
            os.write(write, bytes([code]))
            os._exit(0)
    os.close(write)
    assert os.read(read, 1) == b"\x00"
    os.close(read)
    os.waitpid(pid, 0)
    # the parent's connection was not disturbed by the child
    with pytest.raises(ReplayError):
        store.check_and_remember("in-child")
    store.check_and_remember("after-fork")
    store.close()


def test_the_notification_log_can_share_the_store_pool(postgresql_url: str) -> None:
    store = PostgreSQLStore(postgresql_url)
    log = PostgreSQLNotificationStore(store.database)
    assert log.count() == 0 and log.database is store.database
    log.close()  # not its pool: still open
    store.check_and_remember("shared")
    store.close()
