"""Soak: a mixed load for a bounded time against real servers in a child process, and what it cost.

The child serves, on 127.0.0.1 and free ports, with linkkit's own server module:

* the partner endpoints (``PartnerServer`` on a SQLite file) with click-time links and a Request
  Action handler;
* the partner's Save to Pay notification endpoint, over mutual TLS.

This process sends, round robin from ``--concurrency`` threads, what Samsung sends: Get Card Data
and Send Card State with a fresh AUTH token each, Request Action ``CHECK_ELIGIBILITY`` with a fresh
``signedAtwLink``, click-time link opens (302), and Save to Pay ``WA_PROVISIONED`` notifications
(client certificate of S2P). It reports requests served, errors by kind, p50/p99 latency per kind,
the child's RSS and open file descriptors at the start (after a warm-up) and at the end, and a
verdict against the targets: 0 errors, RSS growth under 10 %, no file descriptor growth.

    .venv/bin/python bench/soak.py [--seconds 30] [--concurrency 4] [--json] [--check]

``--check`` exits 1 when a target is missed (by default a benchmark reports and never fails a build).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from linkkit._clock import DistinctMillis  # noqa: E402
from linkkit._serving import DEFAULT_LIMITS  # noqa: E402
from linkkit.atw_signature import sign_atw_link  # noqa: E402
from linkkit.identity import IdentityIds, build_identity, write_identity  # noqa: E402
from linkkit.keys import load_private_key  # noqa: E402
from linkkit.links import action_link  # noqa: E402
from linkkit.tls import client_context  # noqa: E402
from linkkit.tokens import TokenSigner  # noqa: E402

PARTNER_ID = "4030093436155138240"
CERTIFICATE_ID = "YMtt"
CARD_ID = "3glji6d406000"
S2P_PARTNER_ID = "3f1c2a9e-8b7d-4c6e-9a0b-1d2e3f4a5b6c"
CLICK_SECRET = b"soak-click-secret-0123456789abcdef"
CLICK_LINKS = 50
#: What each kind of request must be answered with; anything else is an error of that kind.
EXPECTED = {
    "get_card_data": 200,
    "send_card_state": 200,
    "request_action": 200,
    "click_link": 302,
    "s2p_notification": 200,
}
KINDS = tuple(EXPECTED)
RSS_GROWTH_TARGET = 0.10


# -- the child: the servers --------------------------------------------------------------------------------


def serve(folder: Path) -> int:
    """The child: start the servers, print their ports and click-time links as one JSON line, serve
    until stdin closes."""
    import logging

    from linkkit._serving import ServerThread
    from linkkit.cards import Barcode, loyalty_card
    from linkkit.config import Endpoints
    from linkkit.keys import load_certificate, public_key_of
    from linkkit.partner import (
        CHECK_ELIGIBILITY,
        ActionContext,
        ActionRegistry,
        ActionResult,
        ClickLinks,
        PartnerConfig,
        PartnerServer,
        SQLiteStore,
        ask_user,
    )
    from linkkit.partner.s2p import NotificationHandler, create_notifications_app, notifications_tls_context
    from linkkit.partner.s2p_store import NotificationStore

    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access line per request is not a figure

    class AnyCard:
        def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> dict[str, Any]:
            return dict(
                loyalty_card(
                    ref_id=ref_id,
                    title="Soak Member",
                    provider_name="Soak & Co",
                    app_link_logo="https://example.com/logo.png",
                    app_link_name="Soak & Co",
                    app_link_data="https://example.com/app",
                    barcode=Barcode(value="1234567890"),
                    created_at=1_795_000_000_000,
                )
            )

    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        return ask_user(["phone", "otp"], message="We sent you a code")

    signer = TokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=load_private_key(folder / "partner.key"),
        samsung_public_key=public_key_of(load_certificate(folder / "samsung.crt")),
    )
    store = SQLiteStore(folder / "partner.sqlite3")
    links = ClickLinks(store=store, secrets=CLICK_SECRET, base_url="http://127.0.0.1/w")
    urls = [links.create(CARD_ID, f"click-{i}") for i in range(CLICK_LINKS)]
    partner = PartnerServer(
        PartnerConfig(
            signer=signer,
            card_ids={CARD_ID},
            endpoints=Endpoints.sandbox("http://127.0.0.1:9"),
            samsung_certificate_id=CERTIFICATE_ID,
        ),
        AnyCard(),
        store=store,
        actions=actions,
        click_links=links,
    )
    notifications = NotificationStore(folder / "s2p.sqlite3")
    handler = NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=lambda _n: "blob", store=notifications)
    tls = notifications_tls_context(
        certificate=(folder / "partner-server.crt").read_bytes(),
        private_key=(folder / "partner-server.key").read_bytes(),
        s2p_client_ca=(folder / "partner-ca.crt").read_bytes(),
    )
    with (
        ServerThread(partner.wsgi_app()) as partner_server,
        ServerThread(create_notifications_app(handler), ssl_context=tls) as notify_server,
    ):
        print(
            json.dumps(
                {
                    "partner": partner_server.port,
                    "notifications": notify_server.port,
                    "links": [u.rsplit("/", 1)[1] for u in urls],
                }
            ),
            flush=True,
        )
        sys.stdin.read()
    notifications.close()
    store.close()
    return 0


# -- this process: the load ----------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Load:
    """Sends the mixed load; counts answers and errors and keeps each latency."""

    def __init__(self, folder: Path, ports: dict[str, Any]) -> None:
        clock = DistinctMillis(time.time)
        samsung_key = load_private_key(folder / "samsung.key")
        self._samsung = TokenSigner(
            partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=samsung_key, clock=clock
        )
        self._sign_link = lambda: sign_atw_link(action_link(CERTIFICATE_ID, CARD_ID), samsung_key, clock=clock)
        self._partner = f"http://127.0.0.1:{ports['partner']}"
        self._notify = f"https://127.0.0.1:{ports['notifications']}/notifications"
        self._links: list[str] = ports["links"]
        self._tls = client_context(
            certificate=(folder / "s2p-client.crt").read_bytes(),
            private_key=(folder / "s2p-client.key").read_bytes(),
            server_ca=(folder / "partner-ca.crt").read_bytes(),
        )
        self._lock = threading.Lock()
        self.served: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.latency: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self._n = 0

    def _auth(self, method: str, path: str) -> dict[str, str]:
        return {"Authorization": self._samsung.authorization_header(method, path), "x-request-id": uuid.uuid4().hex}

    def _one(self, kind: str, http: httpx.Client, s2p: httpx.Client, n: int) -> httpx.Response:
        if kind == "get_card_data":
            path = f"/cards/{CARD_ID}/ref-{n % 200}"
            return http.get(self._partner + path, headers=self._auth("GET", path))
        if kind == "send_card_state":
            path = f"/cards/{CARD_ID}/ref-{n}"
            return http.post(
                self._partner + path, params={"cc2": "US", "event": "ADDED"}, headers=self._auth("POST", path)
            )
        if kind == "request_action":
            path = f"/cards/{CARD_ID}/seq-{n}/requestAction"
            body = {
                "actionType": "CHECK_ELIGIBILITY",
                "actionPayload": {
                    "signedAtwLink": self._sign_link(),
                    "actionDetails": {"timestamp": str(int(time.time() * 1000)), "source": "WALLET"},
                },
            }
            return http.post(self._partner + path, json=body, headers=self._auth("POST", path))
        if kind == "click_link":
            return http.get(f"{self._partner}/w/{self._links[n % len(self._links)]}")
        body = {
            "event": {"regId": str(uuid.uuid4()), "type": "WA_PROVISIONED"},
            "user": {"id": "samsung-account-1"},
            "emailMatches": True,
            "device": {"id": "device-1", "imeiLast4": "1234", "locale": {"country": "US"}},
            "wallet": {"id": "wallet-1"},
        }
        headers = {"Request-Id": uuid.uuid4().hex, "Partner-Id": S2P_PARTNER_ID}
        return s2p.post(self._notify, json=body, headers=headers)

    def worker(self, until: float) -> None:
        with (
            httpx.Client(timeout=10.0, follow_redirects=False) as http,
            httpx.Client(timeout=10.0, verify=self._tls) as s2p,
        ):
            while time.monotonic() < until:
                with self._lock:
                    n, self._n = self._n, self._n + 1
                kind = KINDS[n % len(KINDS)]
                started = time.monotonic()
                try:
                    response = self._one(kind, http, s2p, n)
                    error = None if response.status_code == EXPECTED[kind] else f"{kind}: HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    error = f"{kind}: {type(exc).__name__}"
                took = time.monotonic() - started
                with self._lock:
                    if error is None:
                        self.served[kind] += 1
                        self.latency[kind].append(took)
                    else:
                        self.errors[error] += 1

    def run(self, seconds: float, concurrency: int) -> None:
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=self.worker, args=(until,)) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _start_child(folder: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", str(folder)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line.startswith("{"):
        child.kill()
        child.wait()
        raise SystemExit(f"the servers did not start: {line!r}")
    return child, json.loads(line)


def soak(seconds: float, concurrency: int, warmup: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="linkkit-soak-") as name:
        folder = Path(name)
        ids = IdentityIds(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, card_id=CARD_ID)
        write_identity(folder, build_identity(ids))
        child, ports = _start_child(folder)
        try:
            warm = Load(folder, ports)
            # As many clients as the server has workers: every worker thread (and its SQLite
            # connection) exists after it, so later growth is a leak, not a new worker.
            warm.run(warmup, max(concurrency, DEFAULT_LIMITS.max_workers))
            start = {"rss_kib": _rss_kib(child.pid), "fds": _fds(child.pid)}
            load = Load(folder, ports)
            started = time.monotonic()
            load.run(seconds, concurrency)
            elapsed = time.monotonic() - started
            end = {"rss_kib": _rss_kib(child.pid), "fds": _fds(child.pid)}
        finally:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.close()
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)
            child.stdout.close()
    everything = [t for values in load.latency.values() for t in values]
    served = sum(load.served.values())
    errors = sum(load.errors.values())
    growth = (end["rss_kib"] - start["rss_kib"]) / start["rss_kib"] if start["rss_kib"] else 0.0
    targets = {
        "no errors": errors == 0,
        f"RSS growth < {RSS_GROWTH_TARGET:.0%}": growth < RSS_GROWTH_TARGET,
        "no fd growth": end["fds"] <= start["fds"],
    }
    return {
        "seconds": round(elapsed, 1),
        "warmup_seconds": warmup,
        "concurrency": concurrency,
        "served": served,
        "requests_per_second": round(served / elapsed, 1) if elapsed else 0.0,
        "served_by_kind": dict(load.served),
        "errors": errors,
        "errors_by_kind": dict(load.errors),
        "p50_ms": round(statistics.median(everything) * 1000, 2) if everything else 0.0,
        "p99_ms": round(_percentile(everything, 0.99) * 1000, 2),
        "latency_ms_by_kind": {
            kind: {
                "p50": round(_percentile(values, 0.5) * 1000, 2),
                "p99": round(_percentile(values, 0.99) * 1000, 2),
            }
            for kind, values in load.latency.items()
        },
        "start": start,
        "end": end,
        "rss_growth": round(growth, 4),
        "targets": targets,
        "verdict": "all targets met" if all(targets.values()) else "some targets NOT met",
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"soak: {result['seconds']} s after {result['warmup_seconds']} s warm-up, "
        f"{result['concurrency']} client threads"
    )
    print(f"  served    {result['served']:>8,}  ({result['requests_per_second']:,.1f} requests/s)")
    for kind in KINDS:
        lat = result["latency_ms_by_kind"][kind]
        count = result["served_by_kind"].get(kind, 0)
        print(f"    {kind:<17} {count:>7,}  p50 {lat['p50']:>7.2f} ms  p99 {lat['p99']:>7.2f} ms")
    print(f"  latency   p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms")
    print(f"  errors    {result['errors']}" + "".join(f"\n    {k}: {v}" for k, v in result["errors_by_kind"].items()))
    start, end = result["start"], result["end"]
    print(f"  RSS       {start['rss_kib']:,} KiB -> {end['rss_kib']:,} KiB ({result['rss_growth']:+.1%})")
    print(f"  open fds  {start['fds']} -> {end['fds']}")
    for name, met in result["targets"].items():
        print(f"  {name}: {'met' if met else 'NOT MET'}")
    print(result["verdict"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the measured load runs (30)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (4)")
    parser.add_argument("--warmup", type=float, help="seconds of load before the start figures (10 %%, 2-10 s)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        return serve(args.serve)
    if args.seconds <= 0 or args.concurrency < 1:
        parser.error("--seconds must be positive and --concurrency at least 1")
    warmup: float = args.warmup if args.warmup is not None else min(10.0, max(2.0, args.seconds / 10))
    result = soak(args.seconds, args.concurrency, warmup)
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        _print(result)
    return 1 if args.check and not all(result["targets"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
