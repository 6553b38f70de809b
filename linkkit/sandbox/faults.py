"""Fault injection: make the sandbox misbehave on purpose, so partners can test their failure paths.

Two kinds, by where they act:

* **Answers** of the sandbox's server API (what a :class:`~linkkit.clients.wallet.WalletClient` sees):
  ``503`` (with ``Retry-After``, value = seconds, default 1), ``500``, ``400``, ``401``, and ``slow``
  (value = seconds of delay before answering, default 1).
* **Tokens** the sandbox sends to the partner (what the partner's endpoints must refuse):
  ``expired_token``, ``future_token`` (utc skewed past the window), ``wrong_certificate_id``,
  ``wrong_partner_id``, ``bad_signature``, ``wrong_path`` (bound to another path),
  ``wrong_method``, ``replay`` (repeats the previous ``x-request-id``).

Per request, a partner's test sends the header ``x-linkkit-fault: 503=2`` (several: comma-separated).
Per run, ``PUT /_sandbox/faults`` with ``{"faults": [{"name": "503", "value": 2, "times": 1}]}``
queues faults; ``times`` (default unlimited) counts down each time the fault is used.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final

from linkkit.errors import ConfigError

#: Faults that change the sandbox's own answers.
ANSWER_FAULTS: Final = frozenset({"503", "500", "400", "401", "slow"})
#: Faults that spoil the AUTH tokens the sandbox sends to the partner.
TOKEN_FAULTS: Final = frozenset(
    {
        "expired_token",
        "future_token",
        "wrong_certificate_id",
        "wrong_partner_id",
        "bad_signature",
        "wrong_path",
        "wrong_method",
        "replay",
    }
)
ALL_FAULTS: Final = ANSWER_FAULTS | TOKEN_FAULTS
FAULT_HEADER: Final = "x-linkkit-fault"
#: The longest ``slow`` delay accepted, so that a typo cannot hang a test suite.
MAX_DELAY_S: Final = 30.0


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault: its name, an optional value (seconds), and how many more times it applies."""

    name: str
    value: float | None = None
    times: int | None = None

    def __post_init__(self) -> None:
        if self.name not in ALL_FAULTS:
            raise ConfigError(f"fault {self.name!r} is unknown (known: {', '.join(sorted(ALL_FAULTS))})")
        if self.value is not None and not 0 <= self.value <= MAX_DELAY_S:
            raise ConfigError(f"fault {self.name}: value must be between 0 and {MAX_DELAY_S:g} seconds")
        if self.times is not None and self.times < 1:
            raise ConfigError(f"fault {self.name}: times must be at least 1")

    @property
    def seconds(self) -> float:
        """The value, or the default of 1 second (``Retry-After`` of ``503``, delay of ``slow``)."""
        return 1.0 if self.value is None else self.value

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: object) -> Fault:
        if isinstance(data, str):
            return cls(data)
        if not isinstance(data, Mapping):
            raise ConfigError("a fault is a name or an object {name, value?, times?}")
        value, times = data.get("value"), data.get("times")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ConfigError("fault value must be a number of seconds")
        if times is not None and (isinstance(times, bool) or not isinstance(times, int)):
            raise ConfigError("fault times must be an integer")
        return cls(str(data.get("name")), None if value is None else float(value), times)


def parse_fault_header(value: str | None) -> list[Fault]:
    """``503=2, slow=0.5`` → faults; an unknown name raises :class:`~linkkit.errors.ConfigError`."""
    faults = []
    for item in (value or "").split(","):
        name, _, raw = item.strip().partition("=")
        if not name:
            continue
        try:
            number = float(raw) if raw else None
        except ValueError as exc:
            raise ConfigError(f"fault {name}: value must be a number of seconds") from exc
        faults.append(Fault(name, number))
    return faults


class FaultBook:
    """The faults queued for this run (thread-safe)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def set(self, faults: Iterable[Fault]) -> None:
        with self._lock:
            self._faults = list(faults)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def queued(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, names: frozenset[str]) -> list[Fault]:
        """The queued faults among ``names``, each counted down once."""
        taken = []
        with self._lock:
            kept = []
            for fault in self._faults:
                if fault.name in names:
                    taken.append(fault)
                    if fault.times is not None and fault.times > 1:
                        kept.append(Fault(fault.name, fault.value, fault.times - 1))
                    elif fault.times is None:
                        kept.append(fault)
                else:
                    kept.append(fault)
            self._faults = kept
        return taken
