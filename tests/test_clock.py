"""DistinctMillis: a frozen clock still gives a later millisecond each call, a real one is followed."""

from __future__ import annotations

import threading

from linkkit._clock import DistinctMillis


def test_a_frozen_clock_still_moves_one_millisecond_per_call() -> None:
    clock = DistinctMillis(lambda: 1_795_000_000.0)
    assert [clock() for _ in range(3)] == [1_795_000_000.0, 1_795_000_000.001, 1_795_000_000.002]


def test_a_clock_that_runs_ahead_is_followed() -> None:
    now = [100.0]
    clock = DistinctMillis(lambda: now[0])
    assert clock() == 100.0
    now[0] = 250.5
    assert clock() == 250.5


def test_threads_never_share_a_millisecond() -> None:
    clock = DistinctMillis(lambda: 5.0)
    seen: list[float] = []

    def take() -> None:
        seen.extend(clock() for _ in range(200))

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == len(seen) == 800
