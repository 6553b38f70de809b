"""Partner endpoints under a production WSGI server, against the raw token rate of the same machine.

Every answer of the two hot endpoints mints one Card Data Token (one RSA-2048 signature), so their
ceiling is the token rate; the target is at least 0.7 x that rate per worker process::

    GET /w/{token}              click-time link: HMAC check, SQLite use count, mint, 302
    GET /cards/{cardId}/{refId} Get Card Data: AUTH token check, replay store, mint, 200 {"cdata"}

Set-up, in one run:

1. the raw rate: ``TokenSigner.card_data_token`` in a hot loop, per CPU second, pinned to core 0,
   sampled right before and right after every load (the ratio of each round uses its own samples;
   the median round is reported, so the machine's drift cancels);
2. one worker process pinned to core 0 on 127.0.0.1 and a free port: granian (Rust HTTP, 1 worker,
   1 Python thread; the default) or gunicorn (1 gthread worker), serving
   ``PartnerServer.wsgi_app()`` (``--flask`` serves the Flask blueprint instead);
3. a load generator in a second process pinned to core 1: asyncio, keep-alive connections, a
   fixed number of requests at a fixed concurrency; for Get Card Data it signs every AUTH token
   (a distinct one per request, as Samsung does) before the clock starts.

Reported: requests/s (wall), requests per CPU second of the worker (what one process delivers,
independent of other load on the machine), p50/p99 latency, and the ratio to the token rate.

Two more figures explain the ratio. The *floor*: the worker CPU per request of an app that only
answers a 302. The *token as served*: the CPU the same ``card_data_token`` call takes inside the
worker (measured there, per thread), which is more than in the hot loop: between two requests the
kernel's network path and the server's own threads run on the core and evict the RSA code and
tables from the caches. Neither is linkkit's code, and together they bound what any endpoint that
mints a token can reach on this machine.

With ``--store postgresql`` the same run also serves from PostgreSQL (a throw-away cluster started by
scripts/pg_cluster.py with its crash safety on: fsync, full page writes) and with 2 worker processes
sharing the store, next to SQLite: requests/s wall, p50/p99, worker CPU and, for PostgreSQL, the
database server's CPU per request. On this 2-core machine the workers, the load generator and the
database share the cores, so 2 workers show contention, not a production scale factor.

    .venv/bin/python bench/bench_endpoints.py [--store sqlite|postgresql] [--workers 1,2] [--requests 2000]
                                              [--rounds 3] [--concurrency 8] [--server granian|gunicorn]
                                              [--threads 1] [--flask]

``make_app()`` is the server's entry point (``bench_endpoints:make_app()``); it reads the set-up
folder from ``LINKKIT_BENCH_DIR`` and the store from ``LINKKIT_BENCH_STORE`` (a store URL). The
stats route also reports the thread CPU spent inside linkkit's WSGI app (``requests``, ``app_cpu``);
with ``LINKKIT_BENCH_PROFILE=<file>`` the worker profiles every request with cProfile and writes the
profile there each time the stats route is read (where linkkit's own work goes, inside the server).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import rate

from linkkit.atw.tokens import TokenSigner
from linkkit.cards import Barcode, loyalty_card
from linkkit.identity import key_pem, new_rsa_key
from linkkit.keys import load_private_key

PARTNER_ID, CERTIFICATE_ID, CARD_ID = "4030093436155138240", "YMtt", "3glji6d406000"
SECRET = b"bench-click-secret-0123456789abcdef"
LINKS = 64
WORKER_CORE, LOAD_CORE = 0, 1
CARD = loyalty_card(
    ref_id="ref-bench-0",
    title="Gold Member",
    provider_name="Coffee & Co",
    app_link_logo="https://example.com/logo.png",
    app_link_name="Coffee & Co",
    app_link_data="https://example.com/app",
    barcode=Barcode(value="1234567890"),
    created_at=1_795_000_000_000,
)


class ServedTokenCost:
    """CPU time the worker's ``card_data_token`` calls take, per thread (what "token as served" reports)."""

    def __init__(self) -> None:
        self.calls = 0
        self.cpu = 0.0
        #: requests the partner app answered, and the thread CPU they took in it (token included)
        self.requests = 0
        self.app_cpu = 0.0


class TimedTokenSigner(TokenSigner):
    """The partner's own ``TokenSigner``, timing each Card Data Token with the calling thread's CPU clock."""

    def card_data_token(self, card: Any) -> str:
        start = time.thread_time()
        try:
            return super().card_data_token(card)
        finally:
            _SERVED.cpu += time.thread_time() - start
            _SERVED.calls += 1


_SERVED = ServedTokenCost()
STATS_PATH = "/__bench/served-token-cost"


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


def _partner(folder: Path, store_url: str) -> Any:
    from linkkit.config import Endpoints
    from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, open_store

    partner_key = load_private_key(folder / "partner.key")
    samsung_key = load_private_key(folder / "samsung.key")
    signer = TimedTokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=partner_key,
        samsung_public_key=samsung_key.public_key(),
    )
    store = open_store(store_url)
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


def make_token_app() -> Any:
    """A WSGI app that only mints the Card Data Token and answers it (no checks, no store): the token
    and the server at the same request length as Get Card Data."""
    folder = Path(os.environ["LINKKIT_BENCH_DIR"])
    signer = TokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=load_private_key(folder / "partner.key"),
        samsung_public_key=load_private_key(folder / "samsung.key").public_key(),
    )
    plaintext = json.dumps(_card("ref-bench-0"), separators=(",", ":")).encode()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = json.dumps({"cdata": signer.card_data_token(plaintext)}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return app


def make_app() -> Any:
    """The server's entry point: the partner endpoints, plus the bench's own stats route."""
    server, _ = _partner(Path(os.environ["LINKKIT_BENCH_DIR"]), os.environ["LINKKIT_BENCH_STORE"])
    if os.environ.get("LINKKIT_BENCH_FLASK") == "1":
        from flask import Flask

        flask_app = Flask("bench-partner")
        flask_app.register_blueprint(server.blueprint())
        partner = flask_app.wsgi_app
    else:
        partner = server.wsgi_app()

    profile_path = os.environ.get("LINKKIT_BENCH_PROFILE")
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == STATS_PATH:
            if profiler is not None:
                profiler.dump_stats(profile_path)
            stats = {
                "calls": _SERVED.calls,
                "cpu": _SERVED.cpu,
                "requests": _SERVED.requests,
                "app_cpu": _SERVED.app_cpu,
            }
            body = json.dumps(stats).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        # the thread's CPU inside linkkit's WSGI app: the request's Python work, measured where it runs
        start = time.thread_time()
        if profiler is not None:
            profiler.enable()
        try:
            return partner(environ, start_response)
        finally:
            if profiler is not None:
                profiler.disable()
            _SERVED.app_cpu += time.thread_time() - start
            _SERVED.requests += 1

    return app


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
        tokens = json.loads((folder / f"links-{spec['store']}.json").read_text())
        requests = [
            f"GET /w/{tokens[i % len(tokens)]} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
            for i in range(spec["requests"])
        ]
    else:
        samsung_key = load_private_key(folder / "samsung.key")
        base_ms = int((time.time() - 20) * 1000)
        requests = []
        for i in range(spec["requests"]):
            ref_id = f"ref-bench-{i % 32}"
            path = f"/cards/{CARD_ID}/{ref_id}"
            # a distinct millisecond per token, as real traffic has: identical tokens are replays
            signer = TokenSigner(
                partner_id=PARTNER_ID,
                certificate_id=CERTIFICATE_ID,
                private_key=samsung_key,
                clock=lambda i=i: (base_ms + i) / 1000,
            )
            authorization = signer.authorization_header("GET", path)
            requests.append(
                (
                    f"GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: {authorization}"
                    f"\r\nx-request-id: {uuid.uuid4().hex}\r\n\r\n"
                ).encode()
            )
    seconds, latencies, statuses = asyncio.run(_load(spec["port"], requests, spec["concurrency"]))
    latencies.sort()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "count": len(latencies),
                "statuses": statuses,
                "p50_ms": 1000 * latencies[len(latencies) // 2],
                "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            }
        )
    )


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


def _tree_cpu(root: int) -> float:
    """CPU seconds of a process, its live children, and the children it reaped (a database server)."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
    total = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for child in _children(root):
        try:
            child_fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile: now in the root's cutime
        total += int(child_fields[11]) + int(child_fields[12])
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


def _prepare(folder: Path, stores: dict[str, str]) -> None:
    for name in ("partner", "samsung"):
        (folder / f"{name}.key").write_bytes(key_pem(new_rsa_key()))
    for store, url in stores.items():
        server, links = _partner(folder, url)
        tokens = [links.create(CARD_ID, f"ref-bench-{i}").rsplit("/", 1)[1] for i in range(LINKS)]
        (folder / f"links-{store}.json").write_text(json.dumps(tokens))
        server.store.close()


def _run_load(folder: Path, port: int, endpoint: str, requests: int, concurrency: int, store: str) -> dict[str, Any]:
    spec = {
        "dir": str(folder),
        "port": port,
        "endpoint": endpoint,
        "requests": requests,
        "concurrency": concurrency,
        "store": store,
    }
    out = subprocess.run(
        [sys.executable, __file__, "--load", json.dumps(spec)],
        capture_output=True,
        text=True,
        preexec_fn=_pin(LOAD_CORE),
        check=True,
    )
    return dict(json.loads(out.stdout))


def _served_token_cost(port: int) -> tuple[int, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{STATS_PATH}", timeout=10) as answer:
        stats = json.loads(answer.read())
    return int(stats["calls"]), float(stats["cpu"])


def _serve(
    folder: Path,
    entry: str,
    args: argparse.Namespace,
    runs: dict[str, str],
    raw_rate: Callable[[], float],
    *,
    rounds: int,
    store: tuple[str, str] = ("sqlite", ""),
    workers: int = 1,
    database_pid: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Start the server on ``entry``, run each load ``rounds`` times (interleaved), stop it.

    Each round records the load's figures, the workers' CPU, the database server's CPU
    (``db_cpu``), the raw token rate sampled right before and after (``raw``), and with one worker
    the served token cost over the round (the stats route answers for one process only).
    """
    port = _free_port()
    timed = workers == 1 and entry.endswith("make_app()")
    env = {
        **os.environ,
        "LINKKIT_BENCH_DIR": str(folder),
        "LINKKIT_BENCH_FLASK": "1" if args.flask else "0",
        "LINKKIT_BENCH_STORE": store[1],
    }
    here = str(Path(__file__).resolve().parent)
    if args.server == "granian":
        # Granian: a Rust HTTP server with a WSGI interface (one worker process, N Python threads).
        module, _, factory = entry.partition(":")
        command = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--workers",
            str(workers),
            "--blocking-threads",
            str(args.threads),
            "--runtime-threads",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-ws",
            "--working-dir",
            here,
            "--factory",
            f"{module}:{factory.removesuffix('()')}",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            "10",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--chdir",
            here,
            entry,
        ]
    # one worker: pinned to its core; more: wherever the kernel puts them (this machine has two cores)
    process = subprocess.Popen(command, env=env, preexec_fn=_pin(WORKER_CORE) if workers == 1 else None)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in runs}
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        deadline = time.time() + 30
        while len(_children(process.pid)) < workers and time.time() < deadline:
            time.sleep(0.1)
        pids = [process.pid, *_children(process.pid)]
        for endpoint in runs.values():
            _run_load(folder, port, endpoint, 200, args.concurrency, store[0])  # warm-up
        for _ in range(rounds):
            for name, endpoint in runs.items():
                before = raw_rate()
                served_before = _served_token_cost(port) if timed else (0, 0.0)
                cpu_before = _cpu_seconds(pids)
                db_before = _tree_cpu(database_pid) if database_pid else 0.0
                result = _run_load(folder, port, endpoint, args.requests, args.concurrency, store[0])
                result["cpu"] = _cpu_seconds(pids) - cpu_before
                result["db_cpu"] = (_tree_cpu(database_pid) if database_pid else 0.0) - db_before
                if timed:
                    calls, cpu = _served_token_cost(port)
                    result["served_token_s"] = (cpu - served_before[1]) / max(1, calls - served_before[0])
                result["raw"] = (before + raw_rate()) / 2
                results[name].append(result)
    finally:
        process.terminate()
        process.wait(10)
    return results


def _median(rounds: list[dict[str, Any]], figure: Callable[[dict[str, Any]], float]) -> float:
    return statistics.median(figure(r) for r in rounds)


def _report_breakdown(
    title: str, results: dict[str, list[dict[str, Any]]], raw_us: float, floor_us: float, token_app_us: float
) -> bool:
    """Print the one-worker figures of one store and where a request's CPU goes; True if the 0.7 target is met."""
    print(f"  {title}:")
    ok = True
    for endpoint, rounds in results.items():
        wall = _median(rounds, lambda r: r["count"] / r["seconds"])
        per_cpu = _median(rounds, lambda r: r["count"] / r["cpu"])
        ratio = _median(rounds, lambda r: r["count"] / r["cpu"] / r["raw"])
        served_us = 1e6 * _median(rounds, lambda r: r["served_token_s"])
        ours = 1e6 / per_cpu - served_us - floor_us
        bound = raw_us / (served_us + floor_us)
        ok &= ratio >= 0.7
        statuses = {k: v for r in rounds for k, v in r["statuses"].items()}
        p50, p99 = _median(rounds, lambda r: r["p50_ms"]), _median(rounds, lambda r: r["p99_ms"])
        db_us = 1e6 * _median(rounds, lambda r: r["db_cpu"] / r["count"])
        print(
            f"    {endpoint}: {wall:,.0f} req/s wall, {per_cpu:,.0f} req per worker CPU s, "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, statuses {sorted(statuses)}"
        )
        print(f"      ratio to the raw token rate {ratio:.2f} (target >= 0.70)")
        print(
            f"      per request: token as served {served_us:.0f} us (hot loop {raw_us:.0f}), server floor "
            f"{floor_us:.0f} us, linkkit's own work {ours:.0f} us ({ours / raw_us:.2f} of a hot-loop token)"
            + (f", database server {db_us:.0f} us" if db_us else "")
            + f"; token + floor alone bound any endpoint here at {bound:.2f}"
        )
        if endpoint == "get_card_data":
            print(f"      beyond the token-only app: {1e6 / per_cpu - token_app_us:.0f} us (checks, store, routing)")
    return ok


def _report_table(table: dict[tuple[str, int], dict[str, list[dict[str, Any]]]]) -> None:
    print("  store        workers  endpoint        req/s wall   p50 ms   p99 ms   worker CPU/req   db CPU/req")
    for (store, workers), results in table.items():
        for endpoint, rounds in results.items():
            wall = _median(rounds, lambda r: r["count"] / r["seconds"])
            p50, p99 = _median(rounds, lambda r: r["p50_ms"]), _median(rounds, lambda r: r["p99_ms"])
            cpu_us = 1e6 * _median(rounds, lambda r: r["cpu"] / r["count"])
            db_us = 1e6 * _median(rounds, lambda r: r["db_cpu"] / r["count"])
            db = f"{db_us:10.0f} us" if store == "postgresql" else "   (in the worker)"
            print(
                f"  {store:<12} {workers:>7}  {endpoint:<14} {wall:>11,.0f} {p50:>8.2f} {p99:>8.2f} "
                f"{cpu_us:>13.0f} us {db}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per load (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="loads per endpoint, interleaved (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections of the load generator")
    parser.add_argument("--threads", type=int, default=1, help="Python threads of the worker (default 1)")
    parser.add_argument("--flask", action="store_true", help="serve the Flask blueprint instead of plain WSGI")
    parser.add_argument(
        "--server",
        choices=["granian", "gunicorn"],
        default="granian",
        help="the production WSGI server to run the app under (default granian)",
    )
    parser.add_argument(
        "--store",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="sqlite (default), or postgresql: a throw-away PostgreSQL server, measured next to SQLite",
    )
    parser.add_argument(
        "--workers",
        default=None,
        help="worker process counts to measure, comma-separated (default 1; 1,2 with --store postgresql)",
    )
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(json.loads(args.load))
        return 0
    workers = [int(w) for w in (args.workers or ("1,2" if args.store == "postgresql" else "1")).split(",")]
    if not workers or min(workers) < 1:
        parser.error("--workers: positive counts, e.g. 1,2")

    with tempfile.TemporaryDirectory(prefix="linkkit-bench-") as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        stores = {"sqlite": f"sqlite:///{folder / 'partner.sqlite3'}"}
        database_pid = None
        if args.store == "postgresql":
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
            from pg_cluster import Cluster

            cluster = stack.enter_context(Cluster(durable=True))
            stores["postgresql"] = cluster.url
            database_pid = cluster.pid
        _prepare(folder, stores)
        _pin(WORKER_CORE)()
        signer = TokenSigner(
            partner_id=PARTNER_ID,
            certificate_id=CERTIFICATE_ID,
            private_key=load_private_key(folder / "partner.key"),
            samsung_public_key=load_private_key(folder / "samsung.key").public_key(),
        )

        def raw_rate() -> float:
            return rate(lambda: signer.card_data_token(CARD), 0.5)

        floor = _serve(
            folder, "bench_endpoints:make_floor_app()", args, {"floor": "click"}, raw_rate, rounds=args.rounds
        )["floor"]
        token_only = _serve(
            folder, "bench_endpoints:make_token_app()", args, {"token": "get_card_data"}, raw_rate, rounds=args.rounds
        )["token"]
        runs = {"click": "click", "get_card_data": "get_card_data"}
        table: dict[tuple[str, int], dict[str, list[dict[str, Any]]]] = {}
        for store, url in stores.items():
            for count in workers:
                table[store, count] = _serve(
                    folder,
                    "bench_endpoints:make_app()",
                    args,
                    runs,
                    raw_rate,
                    rounds=args.rounds,
                    store=(store, url),
                    workers=count,
                    database_pid=database_pid if store == "postgresql" else None,
                )

    flavour = "Flask blueprint" if args.flask else "plain WSGI"
    server = "gunicorn gthread" if args.server == "gunicorn" else "granian"
    print(
        f"linkkit partner endpoints: {server} x {args.threads} threads ({flavour}), one worker pinned to core "
        f"{WORKER_CORE}, load from core {LOAD_CORE}; {args.rounds} rounds of {args.requests} requests at "
        f"concurrency {args.concurrency}"
    )
    raw_us = 1e6 / _median([r for results in table.values() for rs in results.values() for r in rs], lambda r: r["raw"])
    floor_us = 1e6 * _median(floor, lambda r: r["cpu"] / r["count"])
    print(f"  raw TokenSigner.card_data_token (hot loop): {1e6 / raw_us:,.0f} tokens per CPU second ({raw_us:.0f} us)")
    print(f"  {args.server} floor (an app that only answers a 302): {floor_us:.0f} us of worker CPU per request")
    token_app_us = 1e6 * _median(token_only, lambda r: r["cpu"] / r["count"])
    print(
        f"  an app that only mints the token and answers it (no checks, no store): {token_app_us:.0f} us of "
        "worker CPU per request (the token and the server at Get Card Data's request length)"
    )
    ok = True
    for store in stores:
        if 1 in workers:
            ok &= _report_breakdown(f"{store}, 1 worker", table[store, 1], raw_us, floor_us, token_app_us)
    if len(table) > 1:
        _report_table(table)
    print("  target met" if ok else "  target NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
