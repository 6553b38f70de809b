"""Progress for long runs: a bar with rate and ETA on a terminal, JSON lines otherwise.

JSON lines (``{"event":"progress","done":..,"total":..,"rate":..,"eta_s":..}``) go to stderr at most
once a second, so a tool reading the output gets something stable to parse.
"""

from __future__ import annotations

import json
import time
from typing import TextIO


class ProgressReporter:
    """Call it with (done, total); :meth:`finish` prints the last line."""

    def __init__(self, stream: TextIO, *, label: str = "rows", interval: float = 1.0, tty: bool | None = None) -> None:
        self._stream = stream
        self._label = label
        self._tty = stream.isatty() if tty is None else tty
        self._interval = 0.1 if self._tty else interval
        self._start = time.monotonic()
        self._last = 0.0
        self._done = 0
        self._total = 0

    def __call__(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._emit(now)

    def finish(self) -> None:
        self._emit(time.monotonic(), final=True)

    def _emit(self, now: float, *, final: bool = False) -> None:
        elapsed = max(now - self._start, 1e-9)
        rate = self._done / elapsed
        remaining = max(self._total - self._done, 0)
        eta = remaining / rate if rate > 0 and self._total else None
        if not self._tty:
            self._stream.write(
                json.dumps(
                    {
                        "event": "done" if final else "progress",
                        "done": self._done,
                        "total": self._total or None,
                        "rate": round(rate, 1),
                        "eta_s": None if eta is None else round(eta, 1),
                    }
                )
                + "\n"
            )
            self._stream.flush()
            return
        width = 30
        fraction = self._done / self._total if self._total else 0.0
        filled = int(width * min(fraction, 1.0))
        bar = "#" * filled + "-" * (width - filled)
        eta_text = f" ETA {eta:,.0f}s" if eta is not None and not final else f" in {elapsed:,.1f}s"
        total = f"/{self._total:,}" if self._total else ""
        self._stream.write(f"\r[{bar}] {self._done:,}{total} {self._label}  {rate:,.0f}/s{eta_text}   ")
        if final:
            self._stream.write("\n")
        self._stream.flush()
