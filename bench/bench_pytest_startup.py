"""What installing linkkit costs every pytest session of a user's project (issue 21, item 6).

An empty project (one trivial test) is run with ``python -m pytest`` in this interpreter, three
ways, interleaved round by round:

* ``default``: as a user runs it, with linkkit installed;
* ``linkkit blocked``: ``-p no:linkkit``, which blocks linkkit's ``pytest11`` entry point if there
  is one (the baseline: the same pytest and the same other plugins, without linkkit);
* ``opted in``: ``-p linkkit.testing``, what a project that uses the sandbox fixtures pays.

Each figure is the median CPU time (user + system) of the pytest process over the rounds, so
other work on a shared machine does not count. Target: ``default`` within 5 % (or 30 ms) of the
baseline, i.e. linkkit costs nothing until a project asks for its fixtures.

Run: ``.venv/bin/python bench/bench_pytest_startup.py`` (``--rounds 15`` for steadier numbers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import entry_points
from pathlib import Path

CONTENDERS = {
    "default": [],
    "linkkit blocked": ["-p", "no:linkkit"],
    "opted in": ["-p", "linkkit.testing"],
}


def cpu_seconds(args: list[str], cwd: Path) -> float:
    """CPU time of one pytest run (the child and everything it started)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}
    before = os.times()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    rounds = parser.parse_args().rounds
    contenders = dict(CONTENDERS)
    autoloaded = any(ep.value == "linkkit.testing" for ep in entry_points(group="pytest11"))
    if autoloaded:  # -p would register the entry point's plugin a second time
        del contenders["opted in"]
    print(f"linkkit.testing is {'loaded by a pytest11 entry point' if autoloaded else 'opt-in (no entry point)'}")
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
        samples: dict[str, list[float]] = {name: [] for name in contenders}
        for args in contenders.values():  # warm the file cache once
            cpu_seconds(args, project)
        for _ in range(rounds):
            for name, args in contenders.items():
                samples[name].append(cpu_seconds(args, project))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"\npytest start-up of an empty project, CPU seconds (median of {rounds} rounds)")
    for name, value in medians.items():
        print(f"  {name:16} {value:6.3f} s")
    baseline = medians["linkkit blocked"]
    extra = medians["default"] - baseline
    ok = extra <= max(0.05 * baseline, 0.030)
    print(f"  linkkit's cost to every session: {extra * 1000:+.0f} ms ({medians['default'] / baseline:.2f}x baseline)")
    if "opted in" in medians:
        print(f"  opting in to linkkit.testing:    {(medians['opted in'] - baseline) * 1000:+.0f} ms")
    print(f"  target (<= 5 % or 30 ms): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
