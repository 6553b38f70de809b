"""A clock for whoever signs many AUTH tokens in a row (the sandbox, the probe): never the same millisecond twice.

A token's only varying part is its ``utc`` in milliseconds, so two tokens for one path signed in the same
millisecond would be byte-identical, and a partner rightly refuses a token it has already seen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class DistinctMillis:
    """Wraps ``clock`` (epoch seconds): each call returns a later millisecond than the one before."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._last_ms = 0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self._last_ms = max(int(self._clock() * 1000), self._last_ms + 1)
            return self._last_ms / 1000
