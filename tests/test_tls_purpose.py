"""A TLS peer's certificate must be for its role: clientAuth for a client, serverAuth for a server.

Every certificate here is signed by the CA the other side trusts. OpenSSL itself refuses one whose
extendedKeyUsage names other purposes, but takes one without the extension for any purpose: that one
only linkkit's check refuses. Real sockets, real TLS, real certificates.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from linkkit._serving import ServerThread
from linkkit._tls_purpose import check_certificate_purpose, checks_peer_purpose
from linkkit.clients._http import RetryPolicy, purpose_checked, send
from linkkit.errors import PeerCertificateError, TransportError
from linkkit.identity import CertificateAuthority, cert_pem, key_pem, new_rsa_key
from linkkit.keys import load_certificate, load_private_key
from linkkit.tls import client_context, server_context

CLIENT, SERVER = ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH


def _ca(files: dict[str, bytes], name: str) -> CertificateAuthority:
    return CertificateAuthority(load_private_key(files[f"{name}.key"]), load_certificate(files[f"{name}.crt"]))


def leaf(
    ca: CertificateAuthority, *, eku: list[x509.ObjectIdentifier] | None, hosts: bool = False
) -> tuple[bytes, bytes]:
    """A certificate ``ca`` signs with exactly the EKUs given (None: no extension at all)."""
    key = new_rsa_key()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "eku test")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if hosts:
        sans = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return cert_pem(builder.sign(ca.key, hashes.SHA256())), key_pem(key)


def _app(environ: Any, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"served"]


REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def _exchange(port: int, context: ssl.SSLContext) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(REQUEST)
            chunks = []
            while chunk := tls.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)


def _no_answer(port: int, context: ssl.SSLContext) -> None:
    """The server closed the connection without answering (how depends on timing and TLS version)."""
    try:
        answer = _exchange(port, context)
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        return
    assert answer == b""


@pytest.fixture(scope="module")
def cas(identity: Any) -> dict[str, CertificateAuthority]:
    return {"partner": _ca(identity.files, "partner-ca"), "samsung": _ca(identity.files, "samsung-ca")}


@pytest.fixture(scope="module")
def mtls_server(identity: Any) -> Iterator[ServerThread]:
    files = identity.files
    context = server_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        client_ca=files["partner-ca.crt"],
    )
    with ServerThread(_app, ssl_context=context) as server:
        yield server


def _client(identity: Any, cert: tuple[bytes, bytes] | None, version: ssl.TLSVersion) -> ssl.SSLContext:
    context = client_context(
        certificate=cert[0] if cert else None,
        private_key=cert[1] if cert else None,
        server_ca=identity.files["partner-ca.crt"],
    )
    context.maximum_version = version
    return context


VERSIONS = [pytest.param(ssl.TLSVersion.TLSv1_2, id="tls1.2"), pytest.param(ssl.TLSVersion.TLSv1_3, id="tls1.3")]
BAD_CLIENT_EKUS = [pytest.param(None, id="no-eku"), pytest.param([SERVER], id="serverAuth-only")]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("eku", BAD_CLIENT_EKUS)
def test_a_server_refuses_a_client_certificate_not_for_clients(identity, cas, mtls_server, caplog, version, eku):
    bad = leaf(cas["partner"], eku=eku)
    with caplog.at_level(logging.WARNING, logger="linkkit.tls"):
        _no_answer(mtls_server.port, _client(identity, bad, version))
    if eku is None:  # OpenSSL refuses the other in the handshake; this one is ours to refuse, and to log
        assert any(
            "TLS peer refused: the client certificate has no extendedKeyUsage" in r.getMessage() for r in caplog.records
        )


@pytest.mark.parametrize("version", VERSIONS)
def test_a_client_certificate_for_clients_is_served(identity, cas, mtls_server, version):
    good = leaf(cas["partner"], eku=[CLIENT])
    assert _exchange(mtls_server.port, _client(identity, good, version)).startswith(b"HTTP/1.1 200")
    both = leaf(cas["partner"], eku=[SERVER, CLIENT])
    assert b"served" in _exchange(mtls_server.port, _client(identity, both, version))


def test_a_context_made_outside_linkkit_tls_is_checked_by_the_server(identity, cas, tmp_path):
    # The server linkkit runs on checks the client certificate whatever context it was given.
    files, raw = identity.files, ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    raw.load_verify_locations(cadata=files["partner-ca.crt"].decode())
    raw.verify_mode = ssl.CERT_REQUIRED
    (tmp_path / "c.pem").write_bytes(files["partner-server.crt"])
    (tmp_path / "k.pem").write_bytes(files["partner-server.key"])
    raw.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    assert not checks_peer_purpose(raw)
    with ServerThread(_app, ssl_context=raw) as server:
        _no_answer(server.port, _client(identity, leaf(cas["partner"], eku=None), ssl.TLSVersion.TLSv1_3))
        good = _client(identity, leaf(cas["partner"], eku=[CLIENT]), ssl.TLSVersion.TLSv1_3)
        assert _exchange(server.port, good).startswith(b"HTTP/1.1 200")


@pytest.fixture(params=[pytest.param(None, id="no-eku"), pytest.param([CLIENT], id="clientAuth-only")])
def bad_server(request, identity, cas) -> Iterator[tuple[ServerThread, bool]]:
    cert, key = leaf(cas["partner"], eku=request.param, hosts=True)
    context = server_context(certificate=cert, private_key=key, client_ca=None)
    with ServerThread(_app, ssl_context=context) as server:
        yield server, request.param is None


@pytest.fixture
def no_eku_server(identity, cas) -> Iterator[ServerThread]:
    cert, key = leaf(cas["partner"], eku=None, hosts=True)
    with ServerThread(_app, ssl_context=server_context(certificate=cert, private_key=key, client_ca=None)) as server:
        yield server


def test_a_client_refuses_a_server_certificate_not_for_servers(identity, bad_server):
    server, no_eku = bad_server
    context = _client(identity, None, ssl.TLSVersion.TLSv1_3)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        with pytest.raises(ssl.SSLCertVerificationError) as info:
            context.wrap_socket(raw, server_hostname="127.0.0.1")
    if no_eku:  # OpenSSL takes it for any purpose: linkkit refuses it
        assert isinstance(info.value, PeerCertificateError) and info.value.code == "no_eku"
    else:
        assert "unsuitable certificate purpose" in str(info.value)


def test_linkkit_clients_refuse_it_at_once_with_a_transport_error(identity, no_eku_server):
    # Through httpx, as every linkkit client sends: one attempt, an error in the linkkit tree.
    context = _client(identity, None, ssl.TLSVersion.TLSv1_3)
    calls = []

    def build(attempt: int) -> httpx.Request:
        calls.append(attempt)
        return http.build_request("GET", no_eku_server.url + "/")

    with httpx.Client(verify=purpose_checked(context)) as http:
        with pytest.raises(TransportError, match="extendedKeyUsage") as info:
            send(http, build, operation="probe", retry=RetryPolicy(attempts=3), sleep=lambda _s: None)
    assert calls == [1] and isinstance(info.value.__cause__, httpx.ConnectError)


def test_a_plain_context_given_to_a_client_is_made_to_check(identity, no_eku_server):
    plain = ssl.create_default_context(cadata=identity.files["partner-ca.crt"].decode())
    assert not checks_peer_purpose(plain)
    assert purpose_checked(plain) is plain and checks_peer_purpose(plain)
    assert purpose_checked(True) is True
    with httpx.Client(verify=plain) as http, pytest.raises(httpx.ConnectError) as info:
        http.get(no_eku_server.url + "/")
    assert "no extendedKeyUsage" in str(info.value)


def test_memory_bio_handshakes_are_checked_too(identity, cas):
    # asyncio and anyio (httpx's async client) drive TLS through SSLObject, not SSLSocket.
    files = identity.files
    server = server_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        client_ca=files["partner-ca.crt"],
    )
    client = _client(identity, leaf(cas["partner"], eku=None), ssl.TLSVersion.TLSv1_2)
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    c = client.wrap_bio(c_in, c_out, server_hostname="127.0.0.1")
    s = server.wrap_bio(s_in, s_out, server_side=True)
    refused = None
    for _ in range(10):
        for obj in (c, s):
            try:
                obj.do_handshake()
            except ssl.SSLWantReadError:
                pass
            except PeerCertificateError as exc:
                refused = exc
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if refused:
            break
    assert refused is not None and refused.code == "no_eku"


def test_the_rule_itself(cas):
    def der(eku: list[x509.ObjectIdentifier] | None) -> bytes:
        return load_certificate(leaf(cas["samsung"], eku=eku)[0]).public_bytes(serialization.Encoding.DER)

    check_certificate_purpose(der([CLIENT]), server_side=True)
    check_certificate_purpose(der([SERVER]), server_side=False)
    for eku, side, code in [
        (None, True, "no_eku"),
        (None, False, "no_eku"),
        ([SERVER], True, "wrong_eku"),
        ([CLIENT], False, "wrong_eku"),
        ([ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE], True, "wrong_eku"),
        ([ExtendedKeyUsageOID.CODE_SIGNING], False, "wrong_eku"),
    ]:
        with pytest.raises(PeerCertificateError) as info:
            check_certificate_purpose(der(eku), server_side=side)
        assert info.value.code == code
