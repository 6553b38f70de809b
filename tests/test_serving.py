"""The one server linkkit runs on: no client stalls another, limits answered with 413/414/431, over real sockets."""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections.abc import Iterator

import httpx
import pytest

from linkkit._serving import ServerLimits, ServerThread
from linkkit.tls import client_context, server_context

LIMITS = ServerLimits(handshake_timeout=0.5, read_timeout=0.5, request_timeout=1.0, max_body_bytes=1000)


def _app(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok %d" % len(body)]


@pytest.fixture
def plain() -> Iterator[ServerThread]:
    with ServerThread(_app, limits=LIMITS) as server:
        yield server


@pytest.fixture
def mtls(identity) -> Iterator[tuple[ServerThread, ssl.SSLContext]]:
    files = identity.files
    ctx = server_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        client_ca=files["partner-ca.crt"],
    )
    client = client_context(
        certificate=files["s2p-client.crt"], private_key=files["s2p-client.key"], server_ca=files["partner-ca.crt"]
    )
    with ServerThread(_app, ssl_context=ctx, limits=LIMITS) as server:
        yield server, client


def _connect(server: ServerThread) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=5)


def _served_quickly(url: str, verify: ssl.SSLContext | bool = False) -> None:
    start = time.monotonic()
    assert httpx.get(url + "/", verify=verify, timeout=2).status_code == 200
    assert time.monotonic() - start < 1.0


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    start = time.monotonic()
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    assert time.monotonic() - start < seconds
    return data


def test_an_idle_tls_client_neither_blocks_others_nor_stays(mtls):
    server, client = mtls
    idle = _connect(server)  # never sends a ClientHello
    try:
        _served_quickly(server.url, client)
        assert _closed_within(idle, 2.0) == b""
    finally:
        idle.close()


@pytest.mark.parametrize(
    "sent",
    [b"GET / HTTP/1.1\r\nHost: x\r\n", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nonly-this"],
    ids=["half-request", "lying-content-length"],
)
def test_a_partial_request_neither_blocks_others_nor_stays(plain, sent):
    slow = _connect(plain)
    try:
        slow.sendall(sent)
        _served_quickly(plain.url)
        assert b"200" not in _closed_within(slow, 2.0)
    finally:
        slow.close()


def test_a_client_dripping_bytes_is_cut_at_the_request_deadline(plain):
    slow = _connect(plain)
    try:
        start = time.monotonic()
        with pytest.raises(OSError):
            for _ in range(20):  # each byte within the read timeout, the whole beyond the request deadline
                slow.sendall(b"X")
                time.sleep(0.2)
        assert time.monotonic() - start < 2.5
    finally:
        slow.close()


def _raw(server: ServerThread, request: bytes) -> bytes:
    with _connect(server) as sock:
        sock.sendall(request)
        return _closed_within(sock, 3.0)


def test_limits_are_answered(plain):
    assert _raw(plain, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n").startswith(b"HTTP/1.1 413")
    assert _raw(plain, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 414")
    assert _raw(plain, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17000 + b"\r\n\r\n").startswith(b"HTTP/1.1 431")
    ok = _raw(plain, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + b"a" * 1000)
    assert ok.startswith(b"HTTP/1.1 200") and b"ok 1000" in ok


def test_workers_are_bounded_and_the_overflow_gets_503():
    # One worker, one queue slot, three silent clients: one is served (held), one waits, and the third
    # is answered 503 at once. Which of the three is refused depends on how fast the worker thread
    # takes the first from the queue (a loaded machine), so the test looks at all three.
    limits = ServerLimits(read_timeout=10, request_timeout=10, max_workers=1, max_queued=1)
    with ServerThread(_app, limits=limits) as server:
        clients = []
        try:
            for _ in range(3):
                clients.append(_connect(server))
                time.sleep(0.1)
            refused = []
            for sock in clients:
                sock.settimeout(0.5)
                with contextlib.suppress(TimeoutError):
                    if sock.recv(64).startswith(b"HTTP/1.1 503"):
                        refused.append(sock)
            assert len(refused) == 1
        finally:
            for sock in clients:
                sock.close()


def test_a_request_made_while_serving_one_is_served_by_another_worker():
    # Samsung's Get Card Data arrives while the partner's Update Notification is still waiting for
    # Samsung's answer: the second request must get its own worker, however the first was counted.
    def app(environ, start_response):
        if environ["PATH_INFO"] == "/outer":
            inner = httpx.get(f"http://{environ['HTTP_HOST']}/inner", timeout=2).text
            body = f"outer({inner})".encode()
        else:
            body = b"inner"
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]

    with ServerThread(app, limits=LIMITS) as server:
        for _ in range(5):  # each time on fresh and on reused workers
            assert httpx.get(server.url + "/outer", timeout=5).text == "outer(inner)"


def test_limits_are_checked():
    with pytest.raises(ValueError, match="max_workers"):
        ServerLimits(max_workers=0)
    with pytest.raises(ValueError, match="read_timeout"):
        ServerLimits(read_timeout=-1)
