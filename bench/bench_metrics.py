"""What metrics and traces cost per Get Card Data call: with OpenTelemetry's SDK recording everything, and
without OpenTelemetry (issue: run it in production).

Run:  .venv/bin/python bench/bench_metrics.py   (or `make bench`)

Four servers answer the same Get Card Data call in this process, on one core, interleaved finely: slices
of 25 calls, one slice per server in turn, a few hundred times; each slice's CPU time (``thread_time``) gives
a cost per call, and each ratio is the median over turns of the ratio within a turn (the slices of one turn
run within a tenth of a second, so the machine's drift, other processes included, cancels out):

* ``bare``: the endpoint itself: routing and ``get_card_data`` (AUTH check, replay store, card, token),
  with none of the measuring around it;
* ``off``: ``PartnerServer.handle`` with telemetry off, as without the ``[otel]`` extra (the same object
  ``Telemetry.default()`` gives then; ``--subprocess`` checks that in an interpreter where the package
  cannot be imported);
* ``metrics``: ``handle`` with the SDK's ``MeterProvider`` (and a reader) recording every metric, and
  no tracer provider (OpenTelemetry's no-op: linkkit then starts no span at all);
* ``traces``: ``metrics`` plus the SDK's ``TracerProvider``, every span sampled, each handed to an
  exporter synchronously (so the export's CPU lands on this thread and is counted; a batch processor
  would move it to a background thread). Four spans per call: the call, the AUTH check, the replay
  store, the card.

Each call carries its own AUTH token and request id (signed before the clock starts, as Samsung would);
every contender has its own in-memory SQLite store. Targets: ``metrics`` costs less than 1.05 x ``off``
per call, and ``off`` is within noise (1.02 x) of ``bare``. ``traces`` is reported (no target: its cost
is the SDK's, about 25 µs a span here, and production sampling divides it).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from _harness import pin_one_core

from linkkit.atw.tokens import TokenSigner
from linkkit.identity import new_rsa_key
from linkkit.observability import DISABLED, Telemetry
from linkkit.partner import PartnerConfig, PartnerServer, SQLiteStore
from linkkit.partner.wire import Headers, Request, Response

PARTNER_ID, CERTIFICATE_ID, CARD_ID = "4030093436155138240", "YMtt", "3glji6d406000"
PATH = f"/cards/{CARD_ID}/ref-bench-0"
NOW = 1_795_000_000.0
CARD = {
    "card": {
        "type": "loyalty",
        "subType": "others",
        "data": [
            {
                "refId": "ref-bench-0",
                "createdAt": 1_795_000_000_000,
                "updatedAt": 1_795_000_000_000,
                "language": "en",
                "attributes": {
                    "title": "Gold Member",
                    "providerName": "Coffee & Co",
                    "appLinkLogo": "https://example.com/logo.png",
                    "appLinkName": "Coffee & Co",
                    "appLinkData": "https://example.com/app",
                    "barcode.value": "1234567890",
                    "barcode.serialType": "QRCODE",
                    "barcode.ptFormat": "QRCODESERIAL",
                },
            }
        ],
    }
}


class Cards:
    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> dict[str, Any]:
        return CARD


class Clock:
    """A fixed instant that moves a millisecond per token, so that every token is fresh and distinct."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def requests(samsung: TokenSigner, clock: Clock, n: int) -> Iterator[Request]:
    for i in range(n):
        clock.now = NOW + (i + 0.5) / 1000  # the middle of millisecond i: utc never repeats
        headers = Headers(
            {"authorization": samsung.authorization_header("GET", PATH), "x-request-id": uuid.uuid4().hex}
        )
        yield Request("GET", PATH, PATH, headers)


def sdk_telemetry(*, traces: bool) -> Telemetry:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    class Dropping(SpanExporter):
        """Receives every span, as an exporter does, and keeps none (a bench must not grow)."""

        def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    from opentelemetry.trace import NoOpTracerProvider

    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    if not traces:
        return Telemetry(meter_provider=meter_provider, tracer_provider=NoOpTracerProvider())
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(Dropping()))
    return Telemetry(meter_provider=meter_provider, tracer_provider=tracer_provider)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=160)
    parser.add_argument("--slice", type=int, default=25, help="calls per server per turn")
    parser.add_argument("--subprocess", action="store_true", help="only check Telemetry.default() without the package")
    args = parser.parse_args()
    if args.subprocess:
        print(f"without opentelemetry: Telemetry.default() is DISABLED: {Telemetry.default() is DISABLED}")
        return 0 if Telemetry.default() is DISABLED else 1
    print(pin_one_core())
    clock = Clock()
    partner_key, samsung_key = new_rsa_key(), new_rsa_key()
    signer = TokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=partner_key,
        samsung_public_key=samsung_key.public_key(),
        clock=clock,
    )
    samsung = TokenSigner(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=samsung_key, clock=clock)
    config = PartnerConfig(signer=signer, card_ids={CARD_ID}, clock=clock)

    def server(telemetry: Telemetry) -> PartnerServer:
        return PartnerServer(config, Cards(), store=SQLiteStore(":memory:", clock=clock), telemetry=telemetry)

    bare, off = server(DISABLED), server(DISABLED)
    metrics, traces = server(sdk_telemetry(traces=False)), server(sdk_telemetry(traces=True))
    # One token per call (each is used once), signed before any clock runs; a few more for the warm-up.
    budget = (args.turns + 2) * 4 * args.slice
    print(f"signing {budget} AUTH tokens ...", flush=True)
    pool = requests(samsung, clock, budget)
    made = list(pool)
    supply = iter(made)
    # The pool is the bench's own: keep the collector from scanning it again and again (an endpoint's
    # allocations would otherwise pay for the bench's heap).
    gc.collect()
    gc.freeze()

    def bare_answer(request: Request) -> Response:
        return bare._resolve(request)[1]()

    contenders: dict[str, Callable[[Request], Response]] = {
        "bare": bare_answer,
        "off": off.handle,
        "metrics": metrics.handle,
        "traces": traces.handle,
    }
    costs: dict[str, list[float]] = {name: [] for name in contenders}
    for turn in range(args.turns + 2):
        for name, answer in contenders.items():
            batch = [next(supply) for _ in range(args.slice)]
            start = time.thread_time()
            for request in batch:
                response = answer(request)
                if response.status != 200:
                    raise SystemExit(f"the bench's call was answered {response.status}: {response.body[:200]!r}")
            if turn >= 2:  # two warm-up turns
                costs[name].append((time.thread_time() - start) / args.slice)
    print(f"\nGet Card Data, CPU per call on one core (median of {args.turns} turns of {args.slice} calls)")
    for name, values in costs.items():
        print(f"  {name:<8} {statistics.median(values) * 1e6:>8.1f} µs per call")

    def cost_ratio(num: str, den: str) -> float:
        return statistics.median(a / b for a, b in zip(costs[num], costs[den], strict=True))

    sdk_cost, off_cost = cost_ratio("metrics", "off"), cost_ratio("off", "bare")
    traces_cost = cost_ratio("traces", "off")
    ok_sdk, ok_off = sdk_cost < 1.05, off_cost < 1.02
    print(f"  metrics / off cost per call = {sdk_cost:.3f}x (target < 1.05x) {'met' if ok_sdk else 'NOT MET'}")
    print(f"  off / bare cost per call    = {off_cost:.3f}x (target < 1.02x) {'met' if ok_off else 'NOT MET'}")
    print(f"  traces / off cost per call  = {traces_cost:.3f}x (every span sampled and exported; no target)")
    child = subprocess.run(
        [sys.executable, "-c", _BLOCKED, __file__],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    print("  " + (child.stdout.strip() or child.stderr.strip()))
    return 0 if ok_sdk and ok_off and child.returncode == 0 else 1


# Runs this file with every ``opentelemetry`` import failing, as in an installation without the extra.
_BLOCKED = """
import runpy, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ImportError(name)
sys.meta_path.insert(0, Block())
sys.argv = [sys.argv[1], "--subprocess"]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


if __name__ == "__main__":
    sys.exit(main())
