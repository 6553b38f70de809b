"""Refuse replayed requests: an ``x-request-id`` seen before within the token window (SPEC.md §3.4).

In memory and per process. A deployment with several worker processes shares one store by
passing a :class:`ReplayGuard` backed by its database (the partner store implements the same
``check_and_remember`` method).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from linkkit.errors import ReplayError


class ReplayGuard:
    """Remembers request ids for ``window`` seconds; a second sighting raises :class:`ReplayError`.

    :param window: how long an id is remembered (use at least the token age window).
    :param max_entries: memory bound; the oldest ids are forgotten first beyond it.
    """

    def __init__(self, *, window: float = 120.0, max_entries: int = 100_000, clock: Callable[[], float] = time.time):
        if window <= 0 or max_entries <= 0:
            raise ValueError("window and max_entries must be positive")
        self._window = window
        self._max = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def check_and_remember(self, request_id: str) -> None:
        """Record ``request_id``; raise :class:`ReplayError` if it was seen within the window."""
        if not request_id:
            raise ReplayError("x-request-id is required")
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest_id, seen_at = next(iter(self._seen.items()))
                if now - seen_at <= self._window and len(self._seen) < self._max:
                    break
                del self._seen[oldest_id]
            if request_id in self._seen:
                raise ReplayError("this x-request-id was already used (replay)")
            self._seen[request_id] = now
