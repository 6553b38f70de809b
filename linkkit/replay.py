"""Refuse replayed requests: an ``x-request-id`` seen before within the token window (SPEC.md §3.4).

The request id is not signed, so an attacker who captured a token could send it again with a new
id: the guard therefore also remembers each token's signature, which is unique per token.

In memory and per process. A deployment with several worker processes shares one store by
passing a :class:`ReplayGuard` backed by its database (the partner store implements the same
``check_and_remember`` method).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from linkkit.errors import ReplayError


def replay_keys(request_id: str, token: str | None = None) -> list[str]:
    """The keys a replay store remembers for one request: its id, and the SHA-256 of the token's
    signature when a token is given (every store of linkkit derives them here)."""
    if not request_id:
        raise ReplayError("x-request-id is required")
    keys = [f"id:{request_id}"]
    if token:
        signature = token.rsplit(".", 1)[-1]
        keys.append("sig:" + hashlib.sha256(signature.encode("utf-8", "replace")).hexdigest())
    return keys


class ReplayGuard:
    """Remembers request ids for ``window`` seconds; a second sighting raises :class:`ReplayError`.

    :param window: how long an id is remembered: at least the span a token is accepted in
        (±60 s around its utc for AUTH tokens, so 120 s, plus slack).
    :param max_entries: memory bound; the oldest ids are forgotten first beyond it.
    """

    def __init__(self, *, window: float = 150.0, max_entries: int = 100_000, clock: Callable[[], float] = time.time):
        if window <= 0 or max_entries <= 0:
            raise ValueError("window and max_entries must be positive")
        self._window = window
        self._max = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def check_and_remember(self, request_id: str, *, token: str | None = None) -> None:
        """Record ``request_id`` (and the signature of ``token``); a second sighting of either within
        the window raises :class:`ReplayError`."""
        keys = replay_keys(request_id, token)
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest_id, seen_at = next(iter(self._seen.items()))
                if now - seen_at <= self._window and len(self._seen) < self._max:
                    break
                del self._seen[oldest_id]
            if keys[0] in self._seen:
                raise ReplayError("this x-request-id was already used (replay)")
            if len(keys) > 1 and keys[1] in self._seen:
                raise ReplayError("this token was already used (replay)")
            for key in keys:
                self._seen[key] = now
