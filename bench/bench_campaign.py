"""Campaign throughput, scaling over processes, and peak memory (issue: campaigns).

Run:  .venv/bin/python bench/bench_campaign.py [--rows 100000]

Each configuration runs `linkkit campaign` in a fresh process on the same generated recipient list
(links + SVG QR + web and email snippets for every row) and reports rows/s (wall clock), the scaling
ratio of 2 processes over 1 (target >= 1.7 on 2 cores), and the peak resident memory of the main
process and of the largest worker (target: flat in the number of rows, under 300 MB), measured at
a fifth of the rows and at all of them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
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


def run(recipients: Path, template: Path, out: Path, jobs: int) -> dict[str, float]:
    code = (
        "import resource, sys, json\n"
        "from linkkit.cli.main import main\n"
        "rc = main(sys.argv[1:])\n"
        "print(json.dumps({'rc': rc, 'self_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " 'children_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), file=sys.stderr)\n"
    )
    env = {**os.environ, "LINKKIT_CARD_ID": "3glji6d406000", "LINKKIT_CERTIFICATE_ID": "YMtt"}
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "campaign",
            str(recipients),
            "--template",
            str(template),
            "--out",
            str(out),
            "-j",
            str(jobs),
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"campaign failed: {proc.stderr[-2000:]}")
    usage = json.loads(proc.stderr.strip().splitlines()[-1])
    summary = json.loads(proc.stdout)
    return {
        "rows": summary["ok"],
        "seconds": elapsed,
        "rate": summary["ok"] / elapsed,
        "main_mb": usage["self_kb"] / 1024,
        "worker_mb": usage["children_kb"] / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    print(f"campaign benchmark: {args.rows:,} rows, {os.cpu_count()} cores, links + SVG QR + snippets per row")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small_recipients, template = make_inputs(folder, args.rows // 5)
        recipients, _ = make_inputs(folder, args.rows)
        results = {}
        for jobs in (1, 2):
            results[jobs] = run(recipients, template, folder / f"out-{jobs}", jobs)
            r = results[jobs]
            print(
                f"  {jobs} process{'es' if jobs > 1 else ''}: {r['rows']:,} rows in {r['seconds']:.1f} s = "
                f"{r['rate']:,.0f} rows/s; peak RSS main {r['main_mb']:.0f} MB, worker {r['worker_mb']:.0f} MB"
            )
        small = run(small_recipients, template, folder / "out-small", 2)
        print(
            f"  2 processes, {small['rows']:,} rows: peak RSS main {small['main_mb']:.0f} MB, "
            f"worker {small['worker_mb']:.0f} MB (memory flatness check)"
        )
    scaling = results[2]["rate"] / results[1]["rate"]
    peak = max(results[2]["main_mb"], results[2]["worker_mb"], results[1]["main_mb"])
    growth = max(results[2]["main_mb"] - small["main_mb"], results[2]["worker_mb"] - small["worker_mb"])
    print(f"  scaling 2/1 = {scaling:.2f}x (target >= 1.7x) {'met' if scaling >= 1.7 else 'NOT MET'}")
    print(
        f"  peak memory {peak:.0f} MB (target < 300 MB) {'met' if peak < 300 else 'NOT MET'}; "
        f"growth from {args.rows // 5:,} to {args.rows:,} rows: {growth:+.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
