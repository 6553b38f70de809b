"""A per-client token bucket for the browser-facing partner endpoints (button mint and beacons).

Samsung's calls are authenticated and replay-checked; the button endpoints are called by any
browser, so each client (its address, or what the application says identifies it) gets a bucket of
``burst`` requests refilled at ``rate`` per second. Buckets live in this process, bounded to
``max_clients`` (the least recently seen are forgotten first): with N worker processes a client
gets at most N times the rate, which is what this guard is for (a runaway script, a scraper
burning click-time link uses), not a quota.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from linkkit.errors import ConfigError


@dataclass(frozen=True, kw_only=True, slots=True)
class RateLimit:
    """``burst`` requests at once, refilled at ``rate`` per second, per client."""

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if not (isinstance(self.rate, (int, float)) and self.rate > 0):
            raise ConfigError(f"rate: must be a positive number of requests per second (got {self.rate!r})")
        if isinstance(self.burst, bool) or not isinstance(self.burst, int) or self.burst < 1:
            raise ConfigError(f"burst: must be a positive int (got {self.burst!r})")


class RateLimiter:
    """Token buckets keyed by client; :meth:`allow` answers ``None`` (go) or the seconds to wait."""

    def __init__(
        self, limit: RateLimit, *, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self._max = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def allow(self, key: str) -> float | None:
        """Take one token from ``key``'s bucket: ``None`` when there was one, else seconds until there is."""
        now = self._clock()
        rate, burst = self.limit.rate, float(self.limit.burst)
        with self._lock:
            tokens, at = self._buckets.pop(key, (burst, now))
            tokens = min(burst, tokens + (now - at) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = None
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / rate
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        return wait
