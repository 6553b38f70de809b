"""Replay refusal by x-request-id and by the decoded token signature."""

from __future__ import annotations

import base64
import threading

import pytest

from linkkit import errors
from linkkit.replay import ReplayCapacityError, ReplayGuard, replay_keys, signed_link_key
from linkkit.verify import decode_jws


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


def test_empty_id_and_bounds(clock, signer):
    guard = ReplayGuard(window=60, max_entries=1, clock=clock)
    with pytest.raises(errors.ReplayError, match="required"):
        guard.check_and_remember("")
    token = signer.auth_token("GET", "/cards/c/r")
    guard.check_and_remember("r0", token=token)
    # A guard this small still refuses the replay: it never forgets an entry inside the window...
    with pytest.raises(errors.ReplayError, match="already used"):
        guard.check_and_remember("r1", token=token)
    with pytest.raises(errors.ReplayError, match="x-request-id"):
        guard.check_and_remember("r0")
    # ...and refuses new work when full rather than making room by forgetting one.
    with pytest.raises(ReplayCapacityError) as caught:
        guard.check_and_remember("r2")
    assert caught.value.code == "replay_capacity" and isinstance(caught.value, errors.ReplayError)
    clock.now += 61
    guard.check_and_remember("r2")  # the window passed: room again
    with pytest.raises(errors.ConfigError):
        ReplayGuard(window=0)


@pytest.mark.parametrize("max_entries", [1, 2, 3])
def test_small_guards_refuse_every_replay(clock, signer, max_entries):
    guard = ReplayGuard(window=60, max_entries=max_entries, clock=clock)
    tokens = []
    for i in range(max_entries):
        clock.now += 0.01  # a new utc: a new token
        tokens.append(signer.auth_token("GET", "/cards/c/r"))
        guard.check_and_remember(f"req-{i}", token=tokens[-1])
    for i, token in enumerate(tokens):
        with pytest.raises(errors.ReplayError):
            guard.check_and_remember(f"new-{i}", token=token)


def test_wrapping_and_spelling_of_a_token_do_not_make_it_new(clock, signer):
    # The key is the decoded signature: case of the scheme, whitespace around the value and the
    # unused low bits of the last base64url character cannot mint a second use.
    guard = ReplayGuard(clock=clock)
    token = signer.auth_token("GET", "/cards/c/r")
    guard.check_and_remember("req-0", signature=decode_jws(token).signature)
    for n, variant in enumerate(["Bearer " + token, "bearer " + token, "BEARER " + token, token]):
        with pytest.raises(errors.ReplayError, match="token was already used"):
            guard.check_and_remember(f"req-{n + 1}", token=variant)
    head, sig = token.rsplit(".", 1)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = [f"{head}.{sig[:-1]}{c}" for c in alphabet if c != sig[-1]]
    same_bytes = [t for t in respelled if _lax_decode(t.rsplit(".", 1)[1]) == _lax_decode(sig)]
    assert same_bytes  # a lax decoder reads these as the same signature...
    for variant in same_bytes:
        with pytest.raises(errors.MalformedTokenError):  # ...the strict one refuses them
            guard.check_and_remember("req-x", token=variant)
    assert replay_keys("a", token=token)[1] == replay_keys("a", decode_jws(token).signature)[1]


def _lax_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_remember_once_keeps_a_key_until_its_own_expiry(clock):
    guard = ReplayGuard(window=10, clock=clock)
    key = signed_link_key(b"\x01" * 256)
    guard.remember_once(key, until=clock.now + 300)
    clock.now += 299  # far beyond the guard's window, still inside the key's life
    with pytest.raises(errors.ReplayError, match="already used"):
        guard.remember_once(key, until=clock.now + 300)
    clock.now += 2
    guard.remember_once(key, until=clock.now + 300)


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


# -- one check each (mutation testing: each input passes every other check) ---------------------------


def test_a_signature_must_be_non_empty_bytes(clock):
    guard = ReplayGuard(clock=clock)
    with pytest.raises(errors.ConfigError, match="signature"):
        guard.check_and_remember("req-1", signature=b"")
    with pytest.raises(errors.ConfigError, match="signature"):  # text, though not empty
        guard.check_and_remember("req-2", signature="c2ln")  # type: ignore[arg-type]


def test_the_default_window_is_150_seconds_and_its_end_is_exclusive(clock):
    guard = ReplayGuard(clock=clock)
    assert guard.window == 150.0
    start = clock.now
    guard.check_and_remember("req-1")
    clock.now += 149.999
    with pytest.raises(errors.ReplayError):
        guard.check_and_remember("req-1")
    clock.now = start + 150.0  # exactly the window after the first sighting: forgotten
    guard.check_and_remember("req-1")


def test_the_limits_must_be_positive_and_a_short_window_is_allowed(clock):
    for bad in ({"max_entries": 0}, {"max_entries": -1}, {"window": 0}, {"window": -0.5}):
        with pytest.raises(errors.ConfigError):
            ReplayGuard(clock=clock, **bad)
    guard = ReplayGuard(window=1, max_entries=1, clock=clock)
    guard.check_and_remember("req-1", signature=b"\x01")
    with pytest.raises(errors.ReplayError):
        guard.check_and_remember("req-1")


def test_the_default_guard_holds_exactly_100000_requests(clock):
    guard = ReplayGuard(clock=clock)
    for i in range(100_000):
        guard.check_and_remember(f"r{i}", signature=i.to_bytes(4, "big"))
    with pytest.raises(ReplayCapacityError):
        guard.check_and_remember("one-more", signature=b"\xff" * 5)


def test_a_full_guard_sweeps_expired_entries_behind_a_long_lived_one(clock):
    # remember_once puts a 300 s entry in front; the request behind it expires first and stays in
    # the guard (the front sweep stops at the live entry) until the guard is full and sweeps it.
    guard = ReplayGuard(window=10, max_entries=1, clock=clock)
    guard.remember_once(signed_link_key(b"\x02" * 32), until=clock.now + 300)
    guard.check_and_remember("req-1")
    clock.now += 10  # req-1 expires exactly now
    guard.check_and_remember("req-2")  # refused for capacity unless the expired req-1 is swept
    with pytest.raises(errors.ReplayError):
        guard.check_and_remember("req-2")


def test_an_entry_behind_a_long_lived_one_is_forgotten_at_its_own_expiry(clock):
    # The front sweep stops at the 300 s entry, so req-1 is still stored when its window ends: the
    # replay check itself must read it as expired.
    guard = ReplayGuard(window=10, clock=clock)
    guard.remember_once(signed_link_key(b"\x03" * 32), until=clock.now + 300)
    start = clock.now
    guard.check_and_remember("req-1")
    clock.now += 9.999
    with pytest.raises(errors.ReplayError):
        guard.check_and_remember("req-1")
    clock.now = start + 10  # exactly its expiry
    guard.check_and_remember("req-1")
