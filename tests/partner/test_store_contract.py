"""The store contract, one suite for every engine: SQLite (a file) and PostgreSQL (a real server).

``store_factory`` makes stores of the test's engine on one database, so "two stores" below are two
workers sharing it. Processes racing over HTTP are in test_races.py.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from linkkit.errors import ReplayError, StoreError
from linkkit.partner import ActionSession, CardEventRecord, ClickLinkRecord, ClickOutcome, Store
from linkkit.partner.stores import NotificationLog, open_notification_store
from linkkit.partner.stores.contract import DEFAULT_REPLAY_WINDOW, PRUNE_EVERY
from linkkit.replay import signed_link_key
from linkkit.s2p.models import Notification
from linkkit.tokens import TokenSigner
from linkkit.verify import decode_jws
from tests.conftest import FrozenClock

StoreFactory = Callable[..., Any]


def _event(
    event: str = "ADDED", *, ref_id: str = "r1", callback: str | None = "https://cb", rid: str = "x", at: float = 1.0
) -> CardEventRecord:
    return CardEventRecord(
        card_id="c1", ref_id=ref_id, event=event, cc2="US", callback=callback, request_id=rid, received_at=at
    )


def _link(link_id: str = "L" * 12, **changes: Any) -> ClickLinkRecord:
    record = ClickLinkRecord(
        link_id=link_id, card_id="c1", ref_id="r1", created_at=1.0, expires_at=None, max_uses=None, channel="email"
    )
    return dataclasses.replace(record, **changes)


def _race(workers: int, task: Callable[[int], Any]) -> list[Any]:
    """Run ``task(i)`` in ``workers`` threads released at the same instant."""
    start = threading.Barrier(workers)

    def run(i: int) -> Any:
        start.wait()
        try:
            return task(i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, range(workers)))


def test_it_is_a_store(store_factory: StoreFactory) -> None:
    store = store_factory()
    assert isinstance(store, Store) and store.replay_window == DEFAULT_REPLAY_WINDOW
    assert store_factory(replay_window=400).replay_window == 400
    with pytest.raises(ValueError, match="replay_window"):
        store_factory(replay_window=0)


def test_replay_window(store_factory: StoreFactory, clock: FrozenClock) -> None:
    store = store_factory(clock=clock)
    store.check_and_remember("a")
    with pytest.raises(ReplayError):
        store.check_and_remember("a")
    clock.now += 150
    with pytest.raises(ReplayError):
        store.check_and_remember("a")
    clock.now += 1
    store.check_and_remember("a")  # aged out: taken over
    store.check_and_remember("b", signature=b"sig1")
    with pytest.raises(ReplayError):
        store.check_and_remember("c", signature=b"sig1")  # the same signature under a new id
    store.check_and_remember("d", signature=b"sig2")
    with pytest.raises(ReplayError):
        store.check_and_remember("")


def test_a_token_is_remembered_by_its_signature_bytes_whatever_its_spelling(
    store_factory: StoreFactory, clock: FrozenClock, signer: TokenSigner
) -> None:
    store = store_factory(clock=clock)
    token = signer.auth_token("GET", "/cards/c/r")
    store.check_and_remember("r-1", token=token)
    for n, variant in enumerate(("Bearer " + token, "bearer " + token, " Bearer " + token + "\t")):
        with pytest.raises(ReplayError):
            store.check_and_remember(f"r-{n + 2}", token=variant)
    with pytest.raises(ReplayError):
        store.check_and_remember("r-9", signature=decode_jws(token).signature)


def test_a_key_remembered_once_lives_until_its_own_expiry(store_factory: StoreFactory, clock: FrozenClock) -> None:
    # A signedAtwLink lives 5 minutes, longer than the replay window: its key must live as long.
    first, second = store_factory(clock=clock), store_factory(clock=clock)
    key = signed_link_key(b"\x02" * 256)
    first.remember_once(key, until=clock.now + 305)
    clock.now += 300
    with pytest.raises(ReplayError):
        second.remember_once(key, until=clock.now + 305)
    clock.now += 6
    second.remember_once(key, until=clock.now + 305)  # expired: it may be taken over
    outcomes = _race(6, lambda i: (first, second)[i % 2].remember_once("atw:race", until=clock.now + 300))
    assert outcomes.count(None) == 1


def test_a_replay_is_refused_by_another_worker(store_factory: StoreFactory, clock: FrozenClock) -> None:
    first, second = store_factory(clock=clock), store_factory(clock=clock)
    first.check_and_remember("r-1", signature=b"s1")
    with pytest.raises(ReplayError):
        second.check_and_remember("r-1")
    with pytest.raises(ReplayError):
        second.check_and_remember("r-2", signature=b"s1")


def test_concurrent_replays_are_accepted_once(store_factory: StoreFactory, clock: FrozenClock) -> None:
    stores = [store_factory(clock=clock) for _ in range(2)]
    outcomes = _race(8, lambda i: stores[i % 2].check_and_remember(f"id-{i}", signature=b"same-signature"))
    assert outcomes.count(None) == 1
    assert all(isinstance(o, ReplayError) for o in outcomes if o is not None)


def test_expired_replay_records_are_pruned(store_factory: StoreFactory, clock: FrozenClock) -> None:
    store = store_factory(clock=clock)
    for i in range(10):
        store.check_and_remember(f"old-{i}", signature=f"{i}".encode())
    clock.now += 100
    store.check_and_remember("recent", signature=b"recent")
    clock.now += 100  # the first ten are 200 s old, "recent" 100 s
    assert store.prune() == 20
    assert store.prune() == 0
    with pytest.raises(ReplayError):
        store.check_and_remember("recent")  # still inside its window


def test_pruning_runs_by_itself(store_factory: StoreFactory, clock: FrozenClock) -> None:
    store = store_factory(clock=clock)
    for i in range(PRUNE_EVERY - 1):
        store.check_and_remember(f"old-{i}", signature=f"{i}".encode())
    clock.now += 200
    store.check_and_remember("the-last-one")  # the PRUNE_EVERY-th: prunes
    assert store.prune() == 0


def test_events_are_stored_once_per_change(store_factory: StoreFactory) -> None:
    store = store_factory()
    assert store.record_event(_event(rid="1")) is True
    assert store.record_event(_event(rid="2")) is False  # same event again
    assert store.record_event(_event(rid="3", callback=None)) is False  # no callback: keeps the old one
    assert store.record_event(_event(rid="4", callback="https://other")) is True  # the callback moved
    assert store.record_event(_event("DELETED", rid="5", callback=None, at=2.0)) is True
    assert store.record_event(_event("ADDED", rid="6", callback=None, at=3.0)) is True  # re-added later
    assert [e.request_id for e in store.events()] == ["6", "5", "4", "1"]
    status = store.card_status("c1", "r1")
    assert status is not None and status.callback == "https://other" and status.event == "ADDED"
    assert status.updated_at == 3.0
    assert store.card_status("c1", "nope") is None
    store.record_event(_event(ref_id="r2", callback=None))
    assert [(e.ref_id, e.callback) for e in store.events("c1", "r2")] == [("r2", None)]
    assert len(store.events("c1")) == 5 and len(store.events(limit=2)) == 2 and store.events("c9") == []


def test_a_retried_event_racing_on_two_workers_is_stored_once(store_factory: StoreFactory) -> None:
    stores = [store_factory() for _ in range(2)]
    outcomes = _race(8, lambda i: stores[i % 2].record_event(_event(rid=f"retry-{i}")))
    assert outcomes.count(True) == 1 and outcomes.count(False) == 7
    assert len(stores[0].events()) == 1


def test_action_sessions_expire_and_are_pruned(store_factory: StoreFactory, clock: FrozenClock) -> None:
    store = store_factory(clock=clock)
    session = ActionSession(card_id="c1", ref_id="s1", expected="USER_AUTH", fields=("otp",), expires_at=clock.now + 10)
    store.save_action_session(session)
    assert store.load_action_session("c1", "s1") == session
    assert store_factory(clock=clock).load_action_session("c1", "s1") == session  # another worker sees it
    clock.now += 10
    assert store.load_action_session("c1", "s1") is None
    replaced = dataclasses.replace(session, fields=("phone", "otp"), expires_at=clock.now + 5)
    store.save_action_session(replaced)
    assert store.load_action_session("c1", "s1") == replaced
    store.delete_action_session("c1", "s1")
    assert store.load_action_session("c1", "s1") is None
    store.save_action_session(dataclasses.replace(session, ref_id="s2", expires_at=clock.now + 1))
    clock.now += 2
    store.prune()
    clock.now -= 2
    assert store.load_action_session("c1", "s2") is None  # deleted, not merely hidden by its expiry


def test_click_links_round_trip_and_refusals(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.add_click_links(
        [
            _link("A" * 12, tags=("spring", "vip")),
            _link("B" * 12, max_uses=1, channel=None),
            _link("C" * 12, expires_at=5.0),
            _link("D" * 12),
        ]
    )
    assert store.get_click_link("A" * 12) == _link("A" * 12, tags=("spring", "vip"))
    assert store.get_click_link("nope") is None
    outcome, record = store.use_click_link("A" * 12, 2.0)
    assert outcome is ClickOutcome.OK and record is not None and record.uses == 1 and record.tags == ("spring", "vip")
    assert store.use_click_link("B" * 12, 2.0)[0] is ClickOutcome.OK
    outcome, record = store.use_click_link("B" * 12, 2.0)
    assert outcome is ClickOutcome.EXHAUSTED and record is not None and record.uses == 1
    assert store.use_click_link("C" * 12, 4.9)[0] is ClickOutcome.OK
    assert store.use_click_link("C" * 12, 5.0)[0] is ClickOutcome.EXPIRED
    assert store.revoke_click_link("D" * 12, 3.0) is True
    assert store.revoke_click_link("D" * 12, 9.0) is True  # the first revocation time is kept
    outcome, record = store.use_click_link("D" * 12, 4.0)
    assert outcome is ClickOutcome.REVOKED and record is not None and record.revoked_at == 3.0
    assert store.revoke_click_link("nope", 3.0) is False
    assert store.use_click_link("nope", 1.0) == (ClickOutcome.UNKNOWN, None)


def test_click_links_are_added_all_or_none(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.add_click_links([_link("E" * 12)])
    with pytest.raises(StoreError, match="already exists"):
        store.add_click_links([_link("F" * 12), _link("E" * 12)])
    assert store.get_click_link("F" * 12) is None


def test_a_use_limit_holds_across_workers(store_factory: StoreFactory) -> None:
    stores = [store_factory() for _ in range(2)]
    stores[0].add_click_links([_link("G" * 12, max_uses=3)])
    outcomes = _race(12, lambda i: stores[i % 2].use_click_link("G" * 12, 2.0)[0])
    assert outcomes.count(ClickOutcome.OK) == 3 and outcomes.count(ClickOutcome.EXHAUSTED) == 9
    record = stores[1].get_click_link("G" * 12)
    assert record is not None and record.uses == 3


# -- the Save to Pay notification log --------------------------------------------------------------


@pytest.fixture
def notification_log(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    url = request.getfixturevalue("postgresql_url") if engine == "postgresql" else str(tmp_path / "n.sqlite3")
    log = open_notification_store(url)
    yield log
    log.close()


def _notification(reg_id: str, kind: str = "WA_READY", error: str | None = None) -> Notification:
    return Notification(reg_id=reg_id, type=kind, error=error)


def test_notifications_are_kept_once_per_request_id(notification_log: Any) -> None:
    assert isinstance(notification_log, NotificationLog)
    reg = "r" * 36
    assert notification_log.add("req-1", _notification(reg), 1.0) is True
    assert notification_log.add("req-1", _notification(reg, "WA_PROVISIONED"), 2.0) is False  # a retried delivery
    assert notification_log.add("req-2", _notification("s" * 36), 3.0) is True
    failure = _notification(reg, "WA_PROVISION_FAILURE", "CARD_ALREADY_PRESENT")
    assert notification_log.add("req-3", failure, 4.0) is True
    kept = notification_log.for_registration(reg)
    assert [(n.request_id, n.received_at, n.notification.type) for n in kept] == [
        ("req-1", 1.0, "WA_READY"),
        ("req-3", 4.0, "WA_PROVISION_FAILURE"),
    ]
    latest = notification_log.latest(reg)
    assert latest is not None and latest.notification == failure
    assert notification_log.latest("t" * 36) is None and notification_log.count() == 3


# -- the button funnel ----------------------------------------------------------------------------

DAY = 86_400.0
T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def test_funnel_counts_beacons_and_card_states_by_day_and_card(store_factory: StoreFactory) -> None:
    from linkkit.partner.records import FunnelCount
    from linkkit.partner.stores.contract import FunnelLog

    store, other_worker = store_factory(), store_factory()
    assert isinstance(store, FunnelLog)
    for at, card, event in [
        (T0 + 10, "c1", "impression"),
        (T0 + 11, "c1", "impression"),
        (T0 + 12, "c1", "click"),
        (T0 + 13, "c1", "mint"),
        (T0 + DAY - 1, "c2", "mint-error"),  # the last second of 1 January
        (T0 + DAY, "c1", "impression"),  # 2 January
        (T0 - 1, "c1", "click"),  # before the window
    ]:
        other_worker.record_beacon(card, event, at)
    store.record_event(_event("ADDED", ref_id="r1", at=T0 + 20))
    store.record_event(_event("ADDED", ref_id="r1", rid="retry", at=T0 + 21))  # a retry: not a second add
    store.record_event(_event("DELETED", ref_id="r1", at=T0 + DAY + 5))
    store.record_event(_event("UPDATED", ref_id="r2", at=T0 + 30))  # not a funnel step
    assert store.funnel_counts(T0, T0 + 2 * DAY) == [
        FunnelCount("2026-01-01", "c1", "add", 1),
        FunnelCount("2026-01-01", "c1", "click", 1),
        FunnelCount("2026-01-01", "c1", "impression", 2),
        FunnelCount("2026-01-01", "c1", "mint", 1),
        FunnelCount("2026-01-01", "c2", "mint-error", 1),
        FunnelCount("2026-01-02", "c1", "impression", 1),
        FunnelCount("2026-01-02", "c1", "remove", 1),
    ]
    assert store.funnel_counts(T0 + DAY, T0 + DAY + 1) == [FunnelCount("2026-01-02", "c1", "impression", 1)]


@pytest.mark.parametrize(
    ("card_id", "event", "field"),
    [("c1", "view", "event"), ("c1", "", "event"), ("x" * 33, "click", "card_id"), ("a b", "click", "card_id")],
)
def test_funnel_refuses_unknown_beacons(store_factory: StoreFactory, card_id: str, event: str, field: str) -> None:
    store = store_factory()
    with pytest.raises(ValueError, match=f"^{field}:"):
        store.record_beacon(card_id, event, T0)
    assert store.funnel_counts(0, T0 * 2) == []
