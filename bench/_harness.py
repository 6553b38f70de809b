"""Tiny benchmark harness: pin to one core, interleave contenders, report medians and ratios.

Interleaving (a, b, c, a, b, c, ...) spreads the machine's noise over every contender instead of
letting it land on one; the median of the rounds is reported. Rates are per second of this
thread's CPU time (``time.thread_time``), so other processes sharing the core do not count
against a contender; wall-clock rates are what the HTTP benchmarks measure instead.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable


def pin_one_core() -> str:
    """Run on one core (the last one) so the figures are per core; returns a description."""
    if hasattr(os, "sched_setaffinity"):
        core = max(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity)"


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per CPU second of ``fn`` over at least ``seconds`` of CPU time."""
    fn()  # warm-up
    n, start = 0, time.thread_time()
    deadline = start + seconds
    batch = 1
    while True:
        for _ in range(batch):
            fn()
        n += batch
        now = time.thread_time()
        if now >= deadline:
            return n / (now - start)
        batch = min(batch * 2, 1024)


#: Per-round samples of the last :func:`compare`, for ratios taken within a round.
LAST_SAMPLES: dict[str, list[float]] = {}


def compare(contenders: dict[str, Callable[[], object]], *, rounds: int = 7, seconds: float = 0.6) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            samples[name].append(rate(fn, seconds))
    LAST_SAMPLES.clear()
    LAST_SAMPLES.update(samples)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, results: dict[str, float], unit: str, ratios: list[tuple[str, str, float]]) -> bool:
    """Print a table and the ratios against their targets; returns True when every target is met."""
    print(f"\n{title}")
    width = max(len(name) for name in results)
    for name, value in results.items():
        print(f"  {name:<{width}}  {value:>12,.0f} {unit}")
    ok = True
    for num, den, target in ratios:
        # The median of the ratios within each round: both sides of a ratio were measured a second
        # apart, so drift in the machine's speed (other load, CPU clocks) cancels out.
        if num in LAST_SAMPLES and den in LAST_SAMPLES:
            ratio = statistics.median(a / b for a, b in zip(LAST_SAMPLES[num], LAST_SAMPLES[den], strict=True))
        else:
            ratio = results[num] / results[den]
        met = ratio >= target
        ok &= met
        print(f"  {num} / {den} = {ratio:.2f}x (target >= {target}x) {'met' if met else 'NOT MET'}")
    return ok
