"""Mutual TLS in both directions of Save to Pay, on real sockets (Samsung's "Authentication Overview").

partner → S2P API: client certificates must come from the Samsung CA.
S2P → partner notifications: client certificates must come from the partner's CA.
Without a certificate, with one from the wrong CA, or with an expired one, the handshake fails and
no HTTP request reaches the application.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import pytest

from linkkit._serving import ServerThread
from linkkit.errors import KeyLoadError
from linkkit.identity import CertificateAuthority, cert_pem, issue_certificate, key_pem, new_rsa_key
from linkkit.keys import load_certificate, load_private_key
from linkkit.partner.s2p import create_notifications_app, notifications_tls_context
from linkkit.tls import MINIMUM_TLS_VERSION, certificate_expires_in, client_context, server_context

from .conftest import S2P_PARTNER_ID, Partner


def _ca(files: dict[str, bytes], name: str) -> CertificateAuthority:
    return CertificateAuthority(load_private_key(files[f"{name}.key"]), load_certificate(files[f"{name}.crt"]))


def _no_eku_cert(ca: CertificateAuthority) -> tuple[bytes, bytes]:
    """A certificate ``ca`` signed for no stated purpose (OpenSSL takes it for any)."""
    key = new_rsa_key()
    return cert_pem(issue_certificate(ca, key.public_key(), "no stated purpose", days=30)), key_pem(key)


def _client_cert(ca: CertificateAuthority, *, expired: bool = False) -> tuple[bytes, bytes]:
    key = new_rsa_key()
    start = dt.datetime.now(dt.UTC) - (dt.timedelta(days=30) if expired else dt.timedelta(minutes=5))
    cert = issue_certificate(
        ca, key.public_key(), "test client", client=True, not_before=start, days=1 if expired else 30
    )
    return cert_pem(cert), key_pem(key)


@pytest.fixture(scope="module")
def certs(identity: Any) -> dict[str, tuple[bytes, bytes] | None]:
    files = identity.files
    samsung, partner = _ca(files, "samsung-ca"), _ca(files, "partner-ca")
    # Client certificates by direction: what a good client uses, and three ways to be refused.
    return {
        "api-good": (files["partner-client.crt"], files["partner-client.key"]),
        "api-none": None,
        "api-wrong-ca": (files["s2p-client.crt"], files["s2p-client.key"]),  # signed by the partner CA
        "api-expired": _client_cert(samsung, expired=True),
        "api-no-eku": _no_eku_cert(samsung),
        "notify-good": (files["s2p-client.crt"], files["s2p-client.key"]),
        "notify-none": None,
        "notify-wrong-ca": (files["partner-client.crt"], files["partner-client.key"]),  # signed by Samsung's CA
        "notify-expired": _client_cert(partner, expired=True),
        "notify-no-eku": _no_eku_cert(partner),
    }


@pytest.fixture
def api_server(running: Any) -> Iterator[tuple[str, int, bytes]]:
    port = int(running.api_url.split(":")[2].split("/")[0])
    request = (
        f"GET /ext/v1/registrations/{'a' * 36} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Request-Id: {'b' * 32}\r\nPartner-Id: {S2P_PARTNER_ID}\r\nConnection: close\r\n\r\n"
    ).encode()
    yield "127.0.0.1", port, request


@pytest.fixture
def notify_server(partner: Partner) -> Iterator[tuple[str, int, bytes]]:
    port = int(partner.url.rsplit(":", 1)[1])
    body = b'{"event":{"regId":"' + b"a" * 36 + b'","type":"WA_PROVISIONED"}}'
    request = (
        f"POST /notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nRequest-Id: {'c' * 32}\r\n"
        f"Partner-Id: {S2P_PARTNER_ID}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    yield "127.0.0.1", port, request


def _exchange(host: str, port: int, request: bytes, context: ssl.SSLContext) -> bytes:
    with socket.create_connection((host, port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(request)
            chunks = []
            while chunk := tls.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)


def _context(
    identity: Any, cert: tuple[bytes, bytes] | None, server_ca: str, version: ssl.TLSVersion
) -> ssl.SSLContext:
    ctx = client_context(
        certificate=cert[0] if cert else None,
        private_key=cert[1] if cert else None,
        server_ca=identity.files[server_ca],
    )
    ctx.maximum_version = version
    return ctx


def _assert_refused(server: tuple[str, int, bytes], ctx: ssl.SSLContext, version: ssl.TLSVersion) -> None:
    """The server refuses the client's certificate: the exchange fails, with an alert under TLS 1.2."""
    with pytest.raises((ssl.SSLError, ConnectionResetError, BrokenPipeError)) as info:
        _exchange(*server, ctx)
    if version == ssl.TLSVersion.TLSv1_2:
        # The server said no during the handshake. Under TLS 1.3 the client may first see its own
        # handshake complete, then the alert or the closed connection when it writes or reads.
        assert "ALERT" in (getattr(info.value, "reason", None) or "")


VERSIONS = [pytest.param(ssl.TLSVersion.TLSv1_2, id="tls1.2"), pytest.param(ssl.TLSVersion.TLSv1_3, id="tls1.3")]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", ["none", "wrong-ca", "expired"])
def test_api_refuses_bad_client_certificates(identity, certs, api_server, sandbox, version, case):
    _assert_refused(api_server, _context(identity, certs[f"api-{case}"], "samsung-ca.crt", version), version)
    assert sandbox.registrations == []


@pytest.mark.parametrize("version", VERSIONS)
def test_api_accepts_the_partner_client_certificate(identity, certs, api_server, version):
    answer = _exchange(*api_server, _context(identity, certs["api-good"], "samsung-ca.crt", version))
    # Past TLS, the API itself answers: an unknown registration is Invalid Data.
    assert answer.startswith(b"HTTP/1.1 400") and b'"code":"400.1"' in answer
    assert f"Response-Id: {'b' * 32}".encode() in answer


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", ["none", "wrong-ca", "expired"])
def test_notifications_refuse_bad_client_certificates(identity, certs, notify_server, partner, version, case):
    _assert_refused(notify_server, _context(identity, certs[f"notify-{case}"], "partner-ca.crt", version), version)
    assert partner.store.count() == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_notifications_accept_the_s2p_client_certificate(identity, certs, notify_server, partner, version):
    answer = _exchange(*notify_server, _context(identity, certs["notify-good"], "partner-ca.crt", version))
    assert answer.startswith(b"HTTP/1.1 200") and f"Response-Id: {'c' * 32}".encode() in answer
    assert partner.store.count() == 1


def _assert_closed_unanswered(server: tuple[str, int, bytes], ctx: ssl.SSLContext) -> None:
    """The handshake completed, then the server closed the connection without an HTTP answer."""
    try:
        answer = _exchange(*server, ctx)
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        return
    assert answer == b""


@pytest.mark.parametrize("version", VERSIONS)
def test_api_refuses_a_client_certificate_without_client_auth(identity, certs, api_server, sandbox, version):
    # Signed by Samsung's CA but for no stated purpose (the S2P server certificate would be the same).
    _assert_closed_unanswered(api_server, _context(identity, certs["api-no-eku"], "samsung-ca.crt", version))
    assert sandbox.registrations == []


@pytest.mark.parametrize("version", VERSIONS)
def test_notifications_refuse_a_client_certificate_without_client_auth(
    identity, certs, notify_server, partner, version
):
    _assert_closed_unanswered(notify_server, _context(identity, certs["notify-no-eku"], "partner-ca.crt", version))
    assert partner.store.count() == 0


def test_the_partner_server_certificate_is_no_client_certificate(identity, notify_server, partner):
    # Signed by the partner CA, serverAuth only: OpenSSL refuses it as a client certificate.
    files = identity.files
    ctx = _context(
        identity, (files["partner-server.crt"], files["partner-server.key"]), "partner-ca.crt", ssl.TLSVersion.TLSv1_2
    )
    _assert_closed_unanswered(notify_server, ctx)
    assert partner.store.count() == 0


def test_tls12_refusal_happens_in_the_handshake_itself(identity, api_server):
    # Under TLS 1.2 the server's verdict on the client certificate is part of the handshake.
    ctx = _context(identity, None, "samsung-ca.crt", ssl.TLSVersion.TLSv1_2)
    host, port, _ = api_server
    with socket.create_connection((host, port), timeout=5) as raw:
        with pytest.raises(ssl.SSLError, match="HANDSHAKE_FAILURE|CERTIFICATE_REQUIRED"):
            ctx.wrap_socket(raw, server_hostname=host)


def test_clients_check_the_server_certificate_too(identity, certs, api_server):
    # Trusting the partner CA, the partner's client refuses the S2P server (signed by Samsung's CA).
    ctx = _context(identity, certs["api-good"], "partner-ca.crt", ssl.TLSVersion.TLSv1_3)
    with pytest.raises(ssl.SSLCertVerificationError):
        _exchange(*api_server, ctx)


def test_a_notification_endpoint_without_client_ca_is_caught_by_the_app_guard(identity):
    # A deployment that forgot the client CA still refuses: the app wants a verified certificate.
    files = identity.files
    plain_tls = server_context(
        certificate=files["partner-server.crt"], private_key=files["partner-server.key"], client_ca=None
    )
    app = create_notifications_app(_unused_handler())
    with ServerThread(app, ssl_context=plain_tls) as server:
        ctx = _context(identity, None, "partner-ca.crt", ssl.TLSVersion.TLSv1_3)
        answer = _exchange(
            "127.0.0.1",
            server.port,
            b"POST /notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
            ctx,
        )
    assert answer.startswith(b"HTTP/1.1 400") and b"a client certificate is required" in answer


def _unused_handler() -> Any:
    from linkkit.partner.s2p import NotificationHandler
    from linkkit.partner.s2p_store import NotificationStore

    def issuer(_n: Any) -> str:
        raise AssertionError("must not be called")

    return NotificationHandler(partner_id=S2P_PARTNER_ID, issuer=issuer, store=NotificationStore(":memory:"))


def test_contexts_require_tls12_or_newer(identity):
    files = identity.files
    ctx = notifications_tls_context(
        certificate=files["partner-server.crt"],
        private_key=files["partner-server.key"],
        s2p_client_ca=files["partner-ca.crt"],
    )
    assert ctx.minimum_version == MINIMUM_TLS_VERSION == ssl.TLSVersion.TLSv1_2
    assert ctx.verify_mode == ssl.CERT_REQUIRED
    with pytest.raises(ValueError, match="TLS 1.2 or TLS 1.3"):
        client_context(certificate=None, private_key=None, server_ca=None, minimum_version=ssl.TLSVersion.TLSv1_1)
    with pytest.raises(ValueError, match="both"):
        client_context(certificate=files["s2p-client.crt"], private_key=None, server_ca=None)


def test_mismatched_key_and_certificate(identity, tmp_path):
    files = identity.files
    with pytest.raises(KeyLoadError, match="not a usable certificate and private key pair"):
        server_context(certificate=files["partner-server.crt"], private_key=files["s2p-client.key"], client_ca=None)
    with pytest.raises(KeyLoadError, match="cannot read"):
        client_context(certificate=tmp_path / "nope.crt", private_key=tmp_path / "nope.key", server_ca=None)
    with pytest.raises(KeyLoadError, match="not a PEM CA certificate"):
        client_context(certificate=None, private_key=None, server_ca=b"-----BEGIN CERTIFICATE-----\nxx\n")


def test_paths_work_as_well_as_pem(identity_dir):
    ctx = client_context(
        certificate=identity_dir / "partner-client.crt",
        private_key=identity_dir / "partner-client.key",
        server_ca=identity_dir / "samsung-ca.crt",
    )
    assert isinstance(ctx, ssl.SSLContext)


def test_certificate_expiry_monitoring(identity):
    cert = load_certificate(identity.files["partner-client.crt"])
    now = cert.not_valid_after_utc.timestamp() - 3600
    assert certificate_expires_in(cert, now=now) == pytest.approx(3600)
    assert certificate_expires_in(identity.files["partner-client.crt"], now=now + 7200) == pytest.approx(-3600)
