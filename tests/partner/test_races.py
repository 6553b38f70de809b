"""Races across processes, over real HTTP, on both engines: several partner server processes share
one store (a SQLite file, or a PostgreSQL database), and client processes released at the same
instant send them the same thing. Exactly one may win."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkkit.partner import ClickLinks, open_store
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.partner.race_server import CLICK_BASE, CLICK_SECRET

SERVERS = 3
CLIENTS = 8
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_store_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if engine == "postgresql":
        return str(request.getfixturevalue("postgresql_url"))
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


@pytest.fixture
def servers(identity_dir: Path, shared_store_url: str) -> Iterator[list[int]]:
    """``SERVERS`` partner processes on one store; their ports."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.partner.race_server", str(identity_dir), shared_store_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(SERVERS)
    ]
    try:
        ports = []
        for process in processes:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("ready "), f"a partner server did not start: {line!r}"
            ports.append(int(line.split()[1]))
        yield ports
    finally:
        for process in processes:
            assert process.stdin is not None
            process.stdin.close()  # the server's signal to stop
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
            assert process.stdout is not None
            process.stdout.close()


def _client(port: int, method: str, path: str, headers: dict[str, str], start: Any, answers: Any) -> None:
    """One client process: connect, wait for the others, send, put the answer on ``answers``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.connect()
        start.wait(60)
        connection.request(method, path, headers=headers)
        answer = connection.getresponse()
        answers.put((answer.status, answer.read().decode("utf-8", "replace")))
    except Exception as exc:  # reported to the test, which fails on it
        answers.put((0, repr(exc)))
    finally:
        connection.close()


def _race(ports: list[int], requests: list[tuple[str, str, dict[str, str]]]) -> list[tuple[int, str]]:
    """Send each request from its own process, all released by one barrier, spread over ``ports``."""
    context = multiprocessing.get_context("fork")  # a client needs nothing but http.client
    start, answers = context.Barrier(len(requests)), context.SimpleQueue()
    clients = [
        context.Process(target=_client, args=(ports[i % len(ports)], method, path, headers, start, answers))
        for i, (method, path, headers) in enumerate(requests)
    ]
    for client in clients:
        client.start()
    try:
        return [answers.get() for _ in clients]
    finally:
        for client in clients:
            client.join(30)


def _samsung(identity: Identity, ms: int) -> TokenSigner:
    return TokenSigner(
        partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=identity.samsung_key, clock=lambda: ms / 1000
    )


def _codes(results: list[tuple[int, str]]) -> list[str]:
    return [json.loads(body)["code"] for status, body in results if status == 401]


def test_one_auth_token_sent_by_many_processes_is_accepted_once(servers: list[int], identity: Identity) -> None:
    path = f"/cards/{CARD_ID}/ref-race"
    token = _samsung(identity, int(time.time() * 1000)).authorization_header("GET", path)
    # the same token under a new request id each time: only the token's signature can tell
    requests = [("GET", path, {"Authorization": token, "x-request-id": uuid.uuid4().hex}) for _ in range(CLIENTS)]
    results = _race(servers, requests)
    assert sorted(status for status, _ in results) == [200] + [401] * (CLIENTS - 1)
    assert _codes(results) == ["replayed"] * (CLIENTS - 1)


def test_one_request_id_sent_by_many_processes_is_accepted_once(servers: list[int], identity: Identity) -> None:
    path = f"/cards/{CARD_ID}/ref-race"
    now_ms = int(time.time() * 1000)
    request_id = uuid.uuid4().hex
    # distinct tokens (one millisecond apart), one request id
    requests = [
        (
            "GET",
            path,
            {
                "Authorization": _samsung(identity, now_ms + i).authorization_header("GET", path),
                "x-request-id": request_id,
            },
        )
        for i in range(CLIENTS)
    ]
    results = _race(servers, requests)
    assert sorted(status for status, _ in results) == [200] + [401] * (CLIENTS - 1)
    assert _codes(results) == ["replayed"] * (CLIENTS - 1)


def test_a_single_use_click_link_opened_by_many_processes_redirects_once(
    servers: list[int], shared_store_url: str
) -> None:
    store = open_store(shared_store_url)
    url = ClickLinks(store=store, secrets=CLICK_SECRET, base_url=CLICK_BASE).create(CARD_ID, "ref-race", max_uses=1)
    path = "/w/" + url.rsplit("/", 1)[1]
    results = _race(servers, [("GET", path, {}) for _ in range(CLIENTS)])
    assert sorted(status for status, _ in results) == [302] + [410] * (CLIENTS - 1)
    record = ClickLinks(store=store, secrets=CLICK_SECRET, base_url=CLICK_BASE).get(url)
    assert record is not None and record.uses == 1
    store.close()
