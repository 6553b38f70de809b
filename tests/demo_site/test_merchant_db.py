"""The merchant database's failed-attempt counter: the lock starts at the limit, holds, and runs out."""

from __future__ import annotations

from pathlib import Path

from demo_site.merchant_db import MerchantDB


def test_failures_lock_at_the_limit_and_the_lock_runs_out(tmp_path: Path) -> None:
    now = [1000.0]
    db = MerchantDB(tmp_path / "m.sqlite3", clock=lambda: now[0])
    session, phone, other = ("session:a", "phone:b"), ("phone:b",), ("session:c",)
    for n in range(1, 5):
        assert db.record_failure(session, limit=5, lock_seconds=900) == (n, None)
    assert db.locked_until(session) is None
    assert db.record_failure(session, limit=5, lock_seconds=900) == (5, 1900.0)
    assert db.locked_until(session) == 1900.0
    assert db.locked_until(phone) == 1900.0  # each subject counted on its own
    assert db.locked_until(other) is None
    now[0] = 1899.0
    assert db.locked_until(session) == 1900.0
    now[0] = 1900.0  # the lock has run out, and the count starts again
    assert db.locked_until(session) is None
    assert db.record_failure(phone, limit=5, lock_seconds=900) == (1, None)
    db.clear_failures(session)
    assert db.record_failure(session, limit=5, lock_seconds=900) == (1, None)
    db.close()
