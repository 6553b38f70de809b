"""The once-per-card registration ledger (SQLite)."""

from __future__ import annotations

import threading

import pytest

from linkkit.errors import StoreError
from linkkit.s2p import RegistrationLedger


def test_claim_record_and_read_back(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ledger = RegistrationLedger(path)
    assert ledger.claim("card-1", "d1", 10.0) is None
    assert ledger.get("card-1").state == "pending"
    ledger.record("card-1", reg_id="r" * 36, status="PENDING", welcome_url="https://w.example/1", now=11.0)
    ledger.close()
    again = RegistrationLedger(path)  # survives a restart
    entry = again.claim("card-1", "d1", 12.0)
    assert entry is not None and entry.state == "registered" and entry.reg_id == "r" * 36
    assert entry.welcome_url_at == 11.0 and entry.created_at == 10.0
    assert again.find_by_reg_id("r" * 36).card_ref == "card-1"
    again.refresh("r" * 36, status="LINKED", welcome_url="https://w.example/2", now=20.0)
    assert again.get("card-1").status == "LINKED" and again.get("card-1").welcome_url_at == 20.0
    again.close()


def test_release_and_unknown():
    ledger = RegistrationLedger(":memory:")
    ledger.claim("a", "d", 1.0)
    ledger.release("a")
    assert ledger.get("a") is None
    ledger.claim("b", "d", 1.0)
    ledger.mark_unknown("b", 2.0)
    assert ledger.get("b").state == "unknown"
    with pytest.raises(StoreError, match="not in the expected state"):
        ledger.release("b")  # only a pending claim can be released
    assert ledger.forget("b") is True and ledger.forget("b") is False


def test_one_claim_wins_under_contention(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ledgers = [RegistrationLedger(path) for _ in range(8)]  # as if 8 processes shared the file
    results: list[object] = []
    barrier = threading.Barrier(len(ledgers))

    def claim(ledger: RegistrationLedger) -> None:
        barrier.wait()
        results.append(ledger.claim("card", "d", 1.0))

    threads = [threading.Thread(target=claim, args=(lg,)) for lg in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(None) == 1
    for lg in ledgers:
        lg.close()


@pytest.mark.parametrize(("card_ref", "error"), [(7, TypeError), ("", ValueError), ("x" * 257, ValueError)])
def test_card_ref_misuse(card_ref, error):
    with pytest.raises(error):
        RegistrationLedger(":memory:").claim(card_ref, "d", 1.0)


def test_unopenable_database(tmp_path):
    with pytest.raises(StoreError, match="cannot open"):
        RegistrationLedger(tmp_path / "missing-dir" / "ledger.sqlite3")
