"""Replay refusal by x-request-id (SPEC.md §3.4)."""

from __future__ import annotations

import threading

import pytest

from linkkit import errors
from linkkit.replay import ReplayGuard


def test_second_sighting_is_refused_within_the_window(clock):
    guard = ReplayGuard(window=120, clock=clock)
    guard.check_and_remember("req-1")
    with pytest.raises(errors.ReplayError):
        guard.check_and_remember("req-1")
    clock.now += 121
    guard.check_and_remember("req-1")  # forgotten after the window: the token would be stale anyway


def test_the_same_token_with_a_fresh_request_id_is_a_replay(clock, signer):
    guard = ReplayGuard(clock=clock)
    token = signer.auth_token("GET", "/cards/c/r")
    guard.check_and_remember("req-1", token=token)
    with pytest.raises(errors.ReplayError, match="token was already used"):
        guard.check_and_remember("req-2", token="Bearer " + token)
    clock.now += 1  # a new token (RS256 is deterministic: same header and payload, same signature)
    guard.check_and_remember("req-3", token=signer.auth_token("GET", "/cards/c/r"))


def test_empty_id_and_bounds(clock):
    guard = ReplayGuard(window=60, max_entries=3, clock=clock)
    with pytest.raises(errors.ReplayError, match="required"):
        guard.check_and_remember("")
    for i in range(5):
        guard.check_and_remember(f"r{i}")
    assert len(guard._seen) <= 3
    guard.check_and_remember("r0")  # evicted beyond max_entries: the bound wins over memory
    with pytest.raises(ValueError):
        ReplayGuard(window=0)


def test_threads_see_one_winner(clock):
    guard = ReplayGuard(clock=clock)
    wins: list[int] = []

    def attempt(i: int) -> None:
        try:
            guard.check_and_remember("same")
            wins.append(i)
        except errors.ReplayError:
            pass

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
