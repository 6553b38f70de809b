"""Campaign throughput and memory: rows/s against the raw per-row work, and peak memory flat in the rows.

Run:  .venv/bin/python bench/bench_campaign.py [--rows 100000] [--jobs 1 2]

Every row gets what `linkkit campaign` makes by default: a card rendered from the template and
checked, a Data Fetch link, an SVG QR code written to a file, and the web and email snippets.

* Baseline, measured in the same run before and after each campaign run: that per-row work in a
  plain loop in one process (no chunks, no parts, no merge, no duplicate check, plain file writes),
  over the first rows; each campaign's ratio is against the mean of the two measures around it.
* `linkkit campaign` in a fresh process with ``-j 1`` and ``-j 2``, over all the rows: wall-clock
  rows/s, the ratio to the baseline (``-j 1`` shows the engine's overhead; ``-j 2`` the scaling),
  and memory sampled every 0.1 s from /proc over the whole process tree: the peak RSS of the main
  process, of the largest worker, of the tree (the sum at one moment: pages the workers share with
  the parent after fork are counted in each) and the tree's PSS (shared pages split between the
  processes sharing them: what the campaign really takes).
* The same with a fifth of the rows: the growth from there to all the rows is the flatness check.

Targets: peak tree RSS under 100 MB with 100,000 rows; growth under 10 MB from 20,000 to 100,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TEMPLATE = {
    "card": {
        "type": "coupon",
        "subType": "others",
        "data": [
            {
                "refId": "{{ref_id}}",
                "createdAt": "{{now:int}}",
                "updatedAt": "{{now:int}}",
                "language": "en",
                "attributes": {
                    "title": "{{first_name}}, 20% off",
                    "mainImg": "https://cdn.example.com/coupon.png",
                    "expiry": "{{expiry:ms}}",
                    "issueDate": "{{now:int}}",
                    "editableYn": "N",
                    "deletableYn": "Y",
                    "displayRedeemButtonYn": "Y",
                    "notificationYn": "Y",
                    "appLinkLogo": "https://cdn.example.com/l.png",
                    "appLinkName": "Coffee & Co",
                    "appLinkData": "https://example.com/app",
                    "barcode.value": "{{member_no}}",
                    "barcode.serialType": "QRCODE",
                    "barcode.ptFormat": "QRCODESERIAL",
                },
            }
        ],
    }
}
CARD_ID, CERTIFICATE_ID = "3glji6d406000", "YMtt"
ASSET_BASE = "https://example.com/_linkkit/web"
RSS_TARGET_MB, GROWTH_TARGET_MB = 100, 10


def make_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    recipients = folder / f"recipients-{rows}.csv"
    with recipients.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["email", "first_name", "member_no", "expiry"])
        for i in range(rows):
            writer.writerow([f"user{i}@example.com", f"User{i}", f"M{i:08d}", "2027-06-30"])
    template = folder / "template.json"
    template.write_text(json.dumps(TEMPLATE))
    return recipients, template


def baseline(recipients: Path, template: Path, out: Path, seconds: float) -> float:
    """Rows/s of the raw per-row work in this process, over as many rows as ``seconds`` allow."""
    from linkkit.assets.qr import make_qr
    from linkkit.atw.links import fetch_link
    from linkkit.campaign import CampaignState, CardTemplate
    from linkkit.campaign.snippets import button_snippets
    from linkkit.cards import check_card

    card_template = CardTemplate.load(template)
    state = CampaignState("bench", "ab" * 32, int(time.time() * 1000), "")
    out.mkdir()
    done = 0
    with recipients.open(newline="") as fh:
        reader = csv.DictReader(fh)
        start = time.perf_counter()
        for values in reader:
            ref_id = state.ref_id(values["email"])
            card = card_template.render(values, ref_id=ref_id, now_ms=state.created_ms)
            assert not check_card(card)
            link = fetch_link(CERTIFICATE_ID, CARD_ID, ref_id)
            svg = make_qr(link).svg(title="Add to Samsung Wallet")
            (out / f"{ref_id}.svg").write_text(svg)
            button_snippets(link, locale="en-US", asset_base_url=ASSET_BASE)
            done += 1
            if time.perf_counter() - start >= seconds:
                break
    return done / (time.perf_counter() - start)


def _tree(pid: int) -> list[int]:
    found = [pid]
    for parent in found:
        try:
            for task in Path(f"/proc/{parent}/task").iterdir():
                found.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


class TreeMemory:
    """Samples the RSS and PSS of a process tree until stopped; keeps the peaks (MB)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.main = self.worker = self.tree_rss = self.tree_pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            pids = _tree(self.pid)
            rss = {p: _kb(f"/proc/{p}/status", "VmRSS:") / 1024 for p in pids}
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            self.main = max(self.main, rss.get(self.pid, 0.0))
            self.worker = max([self.worker, *(v for p, v in rss.items() if p != self.pid)])
            self.tree_rss = max(self.tree_rss, sum(rss.values()))
            self.tree_pss = max(self.tree_pss, pss)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def campaign(recipients: Path, template: Path, out: Path, jobs: int) -> dict[str, float]:
    env = {**os.environ, "LINKKIT_CARD_ID": CARD_ID, "LINKKIT_CERTIFICATE_ID": CERTIFICATE_ID}
    command = [sys.executable, "-c", "import sys; from linkkit.cli.main import main; sys.exit(main())", "campaign"]
    command += [str(recipients), "--template", str(template), "--out", str(out), "-j", str(jobs)]
    command += ["--asset-base-url", ASSET_BASE, "--progress", "none", "--json"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"campaign failed ({proc.returncode}): {stderr[-2000:]}")
    summary = json.loads(stdout)
    return {
        "rows": summary["ok"],
        "seconds": elapsed,
        "rate": summary["ok"] / elapsed,
        "main": memory.main,
        "worker": memory.worker,
        "tree_rss": memory.tree_rss,
        "tree_pss": memory.tree_pss,
    }


def _line(label: str, r: dict[str, float], base: float) -> str:
    return (
        f"  {label}: {r['rows']:,.0f} rows in {r['seconds']:,.1f} s = {r['rate']:,.0f} rows/s "
        f"({r['rate'] / base:.2f}x the baseline around it); peak RSS main {r['main']:.0f} MB, "
        f"worker {r['worker']:.0f} MB, tree {r['tree_rss']:.0f} MB (PSS {r['tree_pss']:.0f} MB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    args = parser.parse_args()
    print(f"campaign benchmark: {args.rows:,} rows, {os.cpu_count()} cores; card + link + SVG QR + snippets per row")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        recipients, template = make_inputs(folder, args.rows)
        small_recipients, _ = make_inputs(folder, args.rows // 5)
        # The baseline is measured before and after each campaign run: each ratio is against the mean
        # of the two around it, so a change in the machine's load during a long run shows in both.
        bases = [baseline(recipients, template, folder / "baseline-0", args.baseline_seconds)]
        print(f"  baseline (raw per-row work, one process): {bases[0]:,.0f} rows/s")
        results = {}
        for n, jobs in enumerate(args.jobs, start=1):
            results[jobs] = campaign(recipients, template, folder / f"out-{jobs}", jobs)
            bases.append(baseline(recipients, template, folder / f"baseline-{n}", args.baseline_seconds))
            print(f"  baseline again: {bases[-1]:,.0f} rows/s")
            print(_line(f"-j {jobs}", results[jobs], (bases[-2] + bases[-1]) / 2), flush=True)
        jobs = max(args.jobs)
        small = campaign(small_recipients, template, folder / "out-small", jobs)
        print(_line(f"-j {jobs}, {args.rows // 5:,} rows", small, bases[-1]))
    peak = max(r["tree_rss"] for r in results.values())
    growth = results[jobs]["tree_rss"] - small["tree_rss"]
    print(
        f"  peak tree RSS {peak:.0f} MB with {args.rows:,} rows (target < {RSS_TARGET_MB} MB): "
        f"{'met' if peak < RSS_TARGET_MB else 'NOT MET'}"
    )
    print(
        f"  growth from {args.rows // 5:,} to {args.rows:,} rows: {growth:+.1f} MB (target < {GROWTH_TARGET_MB} MB): "
        f"{'met' if growth < GROWTH_TARGET_MB else 'NOT MET'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
