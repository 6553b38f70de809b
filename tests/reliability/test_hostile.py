"""Hostile clients over real sockets: silent connections, half requests, oversized requests, a
captured AUTH token spent again in every wrapping, spent click-time links, 1,000 connections at once.

The targets are the partner endpoints (with click-time links), the sandbox, the sandbox's S2P API
and the partner's S2P notification endpoint (both mutual TLS); see ``servers.py``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import resource
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from linkkit.cards import Barcode, loyalty_card
from tests.conftest import CARD_ID, Identity
from tests.reliability.conftest import Samsung
from tests.reliability.report import Table
from tests.reliability.servers import LIMITS, Servers, Target, closed_within, read_status, running_servers

TARGETS = ("partner", "sandbox", "s2p_api", "s2p_notifications")
#: A silent or stalled client is cut off within its deadline plus this much (a loaded machine).
SLACK = 1.5


@pytest.fixture(scope="module")
def servers(identity: Identity, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    card = loyalty_card(
        ref_id="ref-0",
        title="Hostile Member",
        provider_name="Hostile & Co",
        app_link_logo="https://example.com/logo.png",
        app_link_name="Hostile & Co",
        app_link_data="https://example.com/app",
        barcode=Barcode(value="1234567890"),
        created_at=1_795_000_000_000,
    )
    with running_servers(identity, tmp_path_factory.mktemp("hostile"), dict(card)) as running:
        yield running


def _others_served(target: Target, times: int = 3) -> list[float]:
    """Seconds each of ``times`` plain requests took; each must have been answered."""
    took = []
    for _ in range(times):
        status, seconds = target.probe_status()
        assert status != 0, f"{target.name}: no answer to a plain request"
        took.append(seconds)
    return took


# -- silence and stalls --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", TARGETS)
def test_silent_connections_delay_no_one_and_are_cut_off(servers: Servers, which: str, table: Table) -> None:
    target: Target = getattr(servers, which)
    # TCP connections that never send a byte: no ClientHello on TLS, no request line on HTTP.
    silent = [target.tcp() for _ in range(3)]
    try:
        took = _others_served(target)
        deadline = LIMITS.handshake_timeout if target.tls else LIMITS.request_timeout
        closed = [closed_within(sock, deadline + SLACK) for sock in silent]
    finally:
        for sock in silent:
            sock.close()
    slow = [t for t in took if t >= 1.0]
    hung = [c for c in closed if c is None]
    assert not slow, f"{target.name}: a plain request waited behind silent clients: {took}"
    assert not hung, f"{target.name}: a silent connection stayed open past its deadline"
    table.record(
        "silent TCP connection (no ClientHello / no request), others served < 1 s",
        target.name,
        tries=len(silent) + len(took),
        refused=len(silent) - len(hung),
        served=len(took) - len(slow),
        lost=len(slow) + len(hung),
    )


_HALF_REQUESTS = (
    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ",  # headers that never end
    # a lying Content-Length
    b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    b"GE",  # half a request line
)


@pytest.mark.parametrize("which", TARGETS)
def test_half_a_request_then_a_stall_delays_no_one_and_is_cut_off(servers: Servers, which: str, table: Table) -> None:
    target: Target = getattr(servers, which)
    stalled = []
    try:
        for data in _HALF_REQUESTS:
            stalled.append(target.open())
            stalled[-1].sendall(data)
        took = _others_served(target)
        closed = [closed_within(sock, LIMITS.request_timeout + SLACK) for sock in stalled]
    finally:
        for sock in stalled:
            sock.close()
    slow = [t for t in took if t >= 1.0]
    hung = [c for c in closed if c is None]
    assert not slow, f"{target.name}: a plain request waited behind stalled clients: {took}"
    assert not hung, f"{target.name}: a stalled connection stayed open past the request deadline"
    table.record(
        "half a request then a stall (3 kinds), others served < 1 s",
        target.name,
        tries=len(stalled) + len(took),
        refused=len(stalled) - len(hung),
        served=len(took) - len(slow),
        lost=len(slow) + len(hung),
    )


@pytest.mark.parametrize("which", ("s2p_api", "s2p_notifications"))
def test_mutual_tls_without_a_client_certificate_is_refused_at_the_handshake(
    servers: Servers, which: str, table: Table
) -> None:
    import ssl

    target: Target = getattr(servers, which)
    anonymous = ssl.create_default_context(cadata=None)
    anonymous.check_hostname = False
    anonymous.verify_mode = ssl.CERT_NONE
    refused = 0
    tries = 3
    for _ in range(tries):
        raw = target.tcp()
        try:
            with anonymous.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
                sock.sendall(f"GET {target.probe} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                refused += read_status(sock) == 0  # TLS 1.3 reports the missing certificate after the handshake
        except (ssl.SSLError, OSError):
            refused += 1
        finally:
            raw.close()
    took = _others_served(target, 1)
    assert refused == tries and took[0] < 1.0
    table.record(
        "TLS without a client certificate",
        target.name,
        tries=tries + len(took),
        refused=refused,
        served=len(took),
        lost=tries - refused,
    )


# -- oversized requests ----------------------------------------------------------------------------------


def _oversized() -> dict[str, tuple[bytes, int]]:
    host = b"Host: 127.0.0.1\r\nConnection: close\r\n"
    big_header = b"X-Big: " + b"a" * (LIMITS.max_header_bytes + 1) + b"\r\n"
    many_headers = b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 100) for i in range(200))
    return {
        "request line": (b"GET /" + b"u" * (LIMITS.max_url_bytes + 1) + b" HTTP/1.1\r\n" + host + b"\r\n", 414),
        "one header": (b"GET / HTTP/1.1\r\n" + host + big_header + b"\r\n", 431),
        "many headers": (b"GET / HTTP/1.1\r\n" + host + many_headers + b"\r\n", 431),
        "body (Content-Length)": (
            b"POST / HTTP/1.1\r\n" + host + b"Content-Length: %d\r\n\r\n" % (LIMITS.max_body_bytes + 1),
            413,
        ),
    }


@pytest.mark.parametrize("which", TARGETS)
def test_oversized_requests_are_refused_before_the_app(servers: Servers, which: str, table: Table) -> None:
    target: Target = getattr(servers, which)
    got = {name: (target.exchange(data), want) for name, (data, want) in _oversized().items()}
    wrong = {name: pair for name, pair in got.items() if pair[0] != pair[1]}
    took = _others_served(target, 1)
    assert not wrong, f"{target.name}: {wrong}"
    table.record(
        "oversized request line, headers, body (414/431/413)",
        target.name,
        tries=len(got) + 1,
        refused=len(got) - len(wrong),
        served=len(took),
        lost=len(wrong),
    )


def test_a_chunked_body_beyond_the_limit_is_cut_off(servers: Servers, table: Table) -> None:
    target = servers.sandbox
    chunk = b"x" * 65536
    head = (
        b"POST /_sandbox/api/open HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    with contextlib.closing(target.open()) as sock:
        sent = 0
        with contextlib.suppress(OSError):
            sock.sendall(head)
            while sent <= LIMITS.max_body_bytes + len(chunk):
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            sock.sendall(b"0\r\n\r\n")
        status = read_status(sock)
    took = _others_served(target, 1)
    assert status in (413, 0), status
    table.record(
        "chunked body beyond 1 MiB",
        target.name,
        tries=2,
        refused=1,
        served=len(took),
        lost=0 if status in (413, 0) else 1,
    )


# -- a captured AUTH token, spent again -----------------------------------------------------------------------

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def respellings(token: str) -> list[str]:
    """The same token with its signature spelled every other way base64url decoders accept (the
    unused low bits of the last character set differently)."""
    head, payload, signature = token.split(".")
    unused = len(signature) * 6 - len(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))) * 8
    index = _ALPHABET.index(signature[-1])
    spelled = []
    for low in range(1 << unused):
        other = (index & ~((1 << unused) - 1)) | low
        if other != index:
            spelled.append(f"{head}.{payload}.{signature[:-1]}{_ALPHABET[other]}")
    return spelled


def _wrappings(token: str) -> dict[str, str]:
    """Authorization header values that carry ``token`` (or a re-spelling of it)."""
    values = {
        "same header, new x-request-id": f"Bearer {token}",
        "no Bearer": token,
        "bearer": f"bearer {token}",
        "BEARER": f"BEARER {token}",
        "two spaces": f"Bearer  {token}",
        "trailing space": f"Bearer {token} ",
        "trailing tab": f"Bearer {token}\t",
        "leading tab": f"\tBearer {token}",
    }
    for i, spelled in enumerate(respellings(token)):
        values[f"re-spelled signature {i}"] = f"Bearer {spelled}"
    return values


def _raw(target: Target, method: str, target_path: str, headers: dict[str, str], body: bytes = b"") -> int:
    lines = [f"{method} {target_path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return target.exchange(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def test_a_captured_auth_token_buys_one_request_on_the_partner_endpoints(
    servers: Servers, samsung: Samsung, table: Table
) -> None:
    target = servers.partner
    tries = refused = served = lost = 0
    for method, ref, variants in (
        ("GET", "ref-0", ["", "?fields=title", "?select=title", "?x=1"]),
        ("POST", "ref-1", ["?cc2=US&event=ADDED", "?cc2=KR&event=ADDED", "?cc2=US&event=DELETED"]),
    ):
        path = f"/cards/{CARD_ID}/{ref}"
        token = samsung.signer.auth_token(method, path)
        first = _raw(
            target, method, path + variants[0], {"Authorization": f"Bearer {token}", "x-request-id": uuid.uuid4().hex}
        )
        assert first == 200
        tries, served = tries + 1, served + 1
        attempts = [(variants[0], value, b"") for value in _wrappings(token).values()]
        # A different query string or body under the same signature: the token binds only the path.
        attempts += [(query, f"Bearer {token}", b"") for query in variants[1:]]
        if method == "POST":
            attempts += [(variants[0], f"Bearer {token}", body) for body in (b"{}", b'{"callback": null}')]
        for query, value, body in attempts:
            headers = {"Authorization": value, "x-request-id": uuid.uuid4().hex}
            status = _raw(target, method, path + query, headers, body)
            tries += 1
            refused += status == 401
            lost += status != 401
    assert lost == 0
    table.record(
        "captured AUTH token reused: new x-request-id, Bearer case, whitespace, 15 re-spellings, other query/body",
        target.name,
        tries=tries,
        refused=refused,
        served=served,
        lost=lost,
    )


def test_a_captured_partner_token_buys_one_request_on_the_sandbox(servers: Servers, table: Table) -> None:
    target = servers.sandbox
    path = f"/wltex/cards/{CARD_ID}"
    query = "?type=loyalty&eventId=event-1"
    token = servers.partner_signer.auth_token("GET", path)
    first = _raw(target, "GET", path + query, {"Authorization": f"Bearer {token}", "x-request-id": uuid.uuid4().hex})
    assert first == 200
    statuses = [
        _raw(target, "GET", path + q, {"Authorization": value, "x-request-id": uuid.uuid4().hex})
        for q in (query, "?type=loyalty&eventId=event-2")
        for value in _wrappings(token).values()
    ]
    lost = sum(1 for s in statuses if s != 401)
    assert lost == 0, statuses
    table.record(
        "captured AUTH token reused (same wrappings, two queries)",
        target.name,
        tries=len(statuses) + 1,
        refused=len(statuses) - lost,
        served=1,
        lost=lost,
    )


def test_a_spent_click_time_link_stays_spent(servers: Servers, table: Table) -> None:
    target = servers.partner
    url = servers.click_links.create(CARD_ID, "ref-2", max_uses=1)
    token = url.rsplit("/", 1)[1]
    heads = [_raw(target, "HEAD", f"/w/{token}", {}) for _ in range(3)]  # link checkers spend nothing
    assert heads == [200, 200, 200]
    assert _raw(target, "GET", f"/w/{token}", {}) == 302
    again = [
        _raw(target, method, f"/w/{spelled}", {})
        for method in ("GET", "HEAD")
        for spelled in (token, token + "?again=1", token.swapcase(), token[:-1] + ("A" if token[-1] != "A" else "B"))
    ]
    lost = sum(1 for s in again if s not in (404, 410))
    assert lost == 0, again
    table.record(
        "single-use click-time link opened again (HEAD, query, case, one character)",
        "click-time links",
        tries=len(heads) + 1 + len(again),
        refused=len(again) - lost,
        served=len(heads) + 1,
        lost=lost,
    )


# -- 1,000 connections at once ---------------------------------------------------------------------------------

CONNECTIONS = 1000


async def _one(port: int, timeout: float) -> int:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, TimeoutError):
        return -1  # never connected (the listen queue overflowed): refused by the kernel
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        with contextlib.suppress(OSError):
            await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    except TimeoutError:
        return -2  # hung
    except OSError:
        return 0  # closed without an answer
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.") else 0


def _run_in_own_loop(coroutine: Any) -> Any:
    """``asyncio.run`` in a thread of its own: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session once a browser test has run, and asyncio.run refuses to
    start inside it."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed back to the test thread
            errors.append(exc)

    worker = threading.Thread(target=run, name="storm")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return result[0]


async def _storm(port: int, count: int, timeout: float) -> list[int]:
    return list(await asyncio.gather(*(_one(port, timeout) for _ in range(count))))


def test_a_thousand_connections_at_once_are_answered_or_refused_and_nothing_hangs(
    servers: Servers, table: Table
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * CONNECTIONS + 256  # both ends live in this process
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"RLIMIT_NOFILE hard limit {hard} < {needed} descriptors for {CONNECTIONS} connections")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    target = servers.partner
    try:
        started = time.monotonic()
        statuses = _run_in_own_loop(_storm(target.port, CONNECTIONS, timeout=20.0))
        took = time.monotonic() - started
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    served = statuses.count(200)
    busy = statuses.count(503)
    hung = statuses.count(-2)
    other = [s for s in statuses if s not in (200, 503, -2)]
    after = _others_served(target, 5)
    print(f"\n{CONNECTIONS} connections in {took:.1f} s: {served} served, {busy} busy (503), {len(other)} closed")
    assert hung == 0 and served > 0 and not [s for s in other if s > 0]
    assert all(t < 1.0 for t in after), after
    table.record(
        "1,000 concurrent connections on loopback, then served normally",
        target.name,
        tries=CONNECTIONS,
        refused=busy + len(other),
        served=served,
        lost=hung + len([s for s in other if s > 0]),
    )
