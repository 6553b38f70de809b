"""Partner endpoints under a production WSGI server, against the raw token rate of the same machine.

Every answer of the two hot endpoints mints one Card Data Token (one RSA-2048 signature), so their
ceiling is the token rate; the target is at least 0.7 x that rate per worker process::

    GET /w/{token}              click-time link: HMAC check, SQLite use count, mint, 302
    GET /cards/{cardId}/{refId} Get Card Data: AUTH token check, replay store, mint, 200 {"cdata"}

Set-up, in one run:

1. the raw rate: ``TokenSigner.card_data_token`` per CPU second, pinned to core 0;
2. gunicorn, 1 gthread worker with 4 threads, pinned to core 0, on 127.0.0.1 and a free port,
   serving ``PartnerServer.wsgi_app()`` (``--flask`` serves the Flask blueprint instead);
3. a load generator in a second process pinned to core 1: asyncio, keep-alive connections, a
   fixed number of requests at a fixed concurrency; for Get Card Data it signs every AUTH token
   (a distinct one per request, as Samsung does) before the clock starts.

Reported: requests/s (wall), requests per CPU second of the worker (what one process delivers,
independent of other load on the machine), p50/p99 latency, and the ratio to the token rate.

    .venv/bin/python bench/bench_endpoints.py [--requests 3000] [--concurrency 8] [--flask]
                                              [--server gunicorn|granian] [--threads 4]

``make_app()`` is the gunicorn entry point (``bench_endpoints:make_app()``); it reads the set-up
folder from ``LINKKIT_BENCH_DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import rate

from linkkit.cards import Barcode, loyalty_card
from linkkit.identity import key_pem, new_rsa_key
from linkkit.keys import load_private_key
from linkkit.tokens import TokenSigner

PARTNER_ID, CERTIFICATE_ID, CARD_ID = "4030093436155138240", "YMtt", "3glji6d406000"
SECRET = b"bench-click-secret-0123456789abcdef"
LINKS = 64
WORKER_CORE, LOAD_CORE = 0, 1
CARD = loyalty_card(ref_id="ref-bench-0", title="Gold Member", provider_name="Coffee & Co",
                    app_link_logo="https://example.com/logo.png", app_link_name="Coffee & Co",
                    app_link_data="https://example.com/app", barcode=Barcode(value="1234567890"),
                    created_at=1_795_000_000_000)


def _card(ref_id: str) -> dict[str, Any]:
    card = json.loads(json.dumps(CARD))
    card["card"]["data"][0]["refId"] = ref_id
    return card


class BenchCards:
    """A CardSource with one card per refId, built once (a merchant's cache)."""

    def __init__(self) -> None:
        self._cards: dict[str, dict[str, Any]] = {}

    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> dict[str, Any]:
        card = self._cards.get(ref_id)
        if card is None:
            card = self._cards[ref_id] = _card(ref_id)
        return card


def _partner(folder: Path) -> Any:
    from linkkit.config import Endpoints
    from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, SQLiteStore

    partner_key = load_private_key(folder / "partner.key")
    samsung_key = load_private_key(folder / "samsung.key")
    signer = TokenSigner(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=partner_key,
                         samsung_public_key=samsung_key.public_key())
    store = SQLiteStore(folder / "partner.sqlite3")
    config = PartnerConfig(signer=signer, card_ids={CARD_ID}, endpoints=Endpoints.sandbox("http://127.0.0.1:9"))
    links = ClickLinks(store=store, secrets=SECRET, base_url="http://127.0.0.1/w")
    return PartnerServer(config, BenchCards(), store=store, click_links=links), links


def make_floor_app() -> Any:
    """A WSGI app that does nothing but answer like the click endpoint: gunicorn's own cost."""
    location = "http://127.0.0.1:9/atw/v3/" + CARD_ID + "#Clip?cdata=" + "x" * 2400

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("302 Found", [("Location", location), ("Content-Length", "0")])
        return [b""]

    return app


def make_app() -> Any:
    """The gunicorn entry point."""
    server, _ = _partner(Path(os.environ["LINKKIT_BENCH_DIR"]))
    if os.environ.get("LINKKIT_BENCH_FLASK") == "1":
        from flask import Flask

        app = Flask("bench-partner")
        app.register_blueprint(server.blueprint())
        return app
    return server.wsgi_app()


# -- the load generator (second process) -----------------------------------------------------------


async def _load(port: int, requests: list[bytes], concurrency: int) -> tuple[float, list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    cursor = iter(range(len(requests)))

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for index in cursor:
            start = time.perf_counter()
            writer.write(requests[index])
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            status = int(head[9:12])
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies, statuses


def load_main(spec: dict[str, Any]) -> None:
    folder = Path(spec["dir"])
    if spec["endpoint"] == "click":
        tokens = json.loads((folder / "links.json").read_text())
        requests = [f"GET /w/{tokens[i % len(tokens)]} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
                    for i in range(spec["requests"])]
    else:
        samsung_key = load_private_key(folder / "samsung.key")
        base_ms = int((time.time() - 20) * 1000)
        requests = []
        for i in range(spec["requests"]):
            ref_id = f"ref-bench-{i % 32}"
            path = f"/cards/{CARD_ID}/{ref_id}"
            # a distinct millisecond per token, as real traffic has: identical tokens are replays
            signer = TokenSigner(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=samsung_key,
                                 clock=lambda i=i: (base_ms + i) / 1000)
            authorization = signer.authorization_header("GET", path)
            requests.append((f"GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: {authorization}"
                             f"\r\nx-request-id: {uuid.uuid4().hex}\r\n\r\n").encode())
    seconds, latencies, statuses = asyncio.run(_load(spec["port"], requests, spec["concurrency"]))
    latencies.sort()
    print(json.dumps({"seconds": seconds, "count": len(latencies), "statuses": statuses,
                      "p50_ms": 1000 * latencies[len(latencies) // 2],
                      "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}))


# -- the orchestration ---------------------------------------------------------------------------


def _pin(core: int) -> Any:
    def pin() -> None:
        if hasattr(os, "sched_setaffinity") and core in os.sched_getaffinity(0):
            os.sched_setaffinity(0, {core})

    return pin


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(folder: Path) -> None:
    for name in ("partner", "samsung"):
        (folder / f"{name}.key").write_bytes(key_pem(new_rsa_key()))
    _server, links = _partner(folder)
    tokens = [links.create(CARD_ID, f"ref-bench-{i}").rsplit("/", 1)[1] for i in range(LINKS)]
    (folder / "links.json").write_text(json.dumps(tokens))


def _run_load(folder: Path, port: int, endpoint: str, requests: int, concurrency: int) -> dict[str, Any]:
    spec = {"dir": str(folder), "port": port, "endpoint": endpoint, "requests": requests, "concurrency": concurrency}
    out = subprocess.run([sys.executable, __file__, "--load", json.dumps(spec)], capture_output=True, text=True,
                         preexec_fn=_pin(LOAD_CORE), check=True)
    return dict(json.loads(out.stdout))


def _serve(folder: Path, entry: str, args: argparse.Namespace, runs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Start gunicorn on ``entry``, run each load, stop it; returns the results by run name."""
    port = _free_port()
    env = {**os.environ, "LINKKIT_BENCH_DIR": str(folder), "LINKKIT_BENCH_FLASK": "1" if args.flask else "0"}
    here = str(Path(__file__).resolve().parent)
    if args.server == "granian":
        # Granian: a Rust HTTP server with a WSGI interface (one worker process, N blocking threads).
        module, _, factory = entry.partition(":")
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "1", "--blocking-threads",
                   str(args.threads), "--runtime-threads", "1", "--host", "127.0.0.1", "--port", str(port),
                   "--log-level", "warning", "--no-ws", "--working-dir", here, "--factory",
                   f"{module}:{factory.removesuffix('()')}"]
    else:
        command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "gthread", "--threads",
                   str(args.threads), "--keep-alive", "10", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                   "--chdir", here, entry]
    gunicorn = subprocess.Popen(command, env=env, preexec_fn=_pin(WORKER_CORE))
    results: dict[str, dict[str, Any]] = {}
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        workers = _children(gunicorn.pid)
        for name, endpoint in runs.items():
            _run_load(folder, port, endpoint, 200, args.concurrency)  # warm-up
            before = _cpu_seconds([gunicorn.pid, *workers])
            result = _run_load(folder, port, endpoint, args.requests, args.concurrency)
            result["cpu"] = _cpu_seconds([gunicorn.pid, *workers]) - before
            results[name] = result
    finally:
        gunicorn.terminate()
        gunicorn.wait(10)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--flask", action="store_true", help="serve the Flask blueprint instead of plain WSGI")
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn",
                        help="the production WSGI server to run the app under")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(json.loads(args.load))
        return 0

    with tempfile.TemporaryDirectory(prefix="linkkit-bench-") as tmp:
        folder = Path(tmp)
        _prepare(folder)
        _pin(WORKER_CORE)()
        signer = TokenSigner(partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID,
                             private_key=load_private_key(folder / "partner.key"),
                             samsung_public_key=load_private_key(folder / "samsung.key").public_key())
        # The machine may be shared: sample the token rate before and after the HTTP runs.
        samples = [rate(lambda: signer.card_data_token(CARD), 1.0) for _ in range(3)]
        floor = _serve(folder, "bench_endpoints:make_floor_app()", args, {"floor": "click"})
        runs = {"click": "click", "get_card_data": "get_card_data"}
        results = _serve(folder, "bench_endpoints:make_app()", args, runs)
        samples += [rate(lambda: signer.card_data_token(CARD), 1.0) for _ in range(3)]
        token_rate = statistics.median(samples)

    flavour = "Flask blueprint" if args.flask else "plain WSGI"
    server = "gunicorn 1 gthread worker" if args.server == "gunicorn" else "granian 1 worker"
    print(f"linkkit partner endpoints: {server} x {args.threads} threads ({flavour}) on core "
          f"{WORKER_CORE}, load from core {LOAD_CORE}, {args.requests} requests at concurrency {args.concurrency}")
    token_us = 1e6 / token_rate
    floor_us = 1e6 * floor["floor"]["cpu"] / floor["floor"]["count"]
    print(f"  raw TokenSigner.card_data_token: {token_rate:,.0f} tokens per CPU second ({token_us:.0f} us each)")
    print(f"  {args.server} floor (an app that only answers a 302): {floor_us:.0f} us of worker CPU per request, so "
          f"no endpoint that mints a token can pass {token_us / (token_us + floor_us):.2f} x the token rate")
    ok = True
    for endpoint, r in results.items():
        wall = r["count"] / r["seconds"]
        per_cpu = r["count"] / r["cpu"] if r["cpu"] else float("nan")
        ratio = per_cpu / token_rate
        ok &= ratio >= 0.7
        ours = 1e6 / per_cpu - token_us - floor_us
        print(f"  {endpoint:<14} {wall:>6,.0f} req/s wall  {per_cpu:>6,.0f} req per worker CPU s  "
              f"p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  ratio {ratio:.2f} (target >= 0.70)  "
              f"linkkit's own work {ours:.0f} us/req  statuses {r['statuses']}")
    print("  target met" if ok else "  target NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
