"""The production recipe of docs/save-to-pay.md ("In production: gunicorn with mutual TLS"), run as written:
the two files from the page in a real gunicorn process on a free 127.0.0.1 port, real mutual TLS, and
the Partner-Id binding through :class:`~linkkit.partner.s2p.ClientCertificateFromSocket`."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from linkkit.identity import CertificateAuthority, cert_pem, issue_certificate, key_pem, new_rsa_key
from linkkit.keys import load_certificate, load_private_key
from linkkit.partner.s2p import ClientCertificateFromSocket
from linkkit.tls import client_context

from .conftest import S2P_PARTNER_ID

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "save-to-pay.md"
READY = {"event": {"regId": "a" * 36, "type": "WA_READY", "walletId": "w-1", "device": {"id": "d-1", "type": "PHONE"}}}

pytestmark = pytest.mark.skipif(shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None,
                                reason="gunicorn is in the dev extra")  # fmt: skip


def _recipe_file(name: str) -> str:
    """The python block of the page whose first line is ``# <name>: ...``."""
    for block in re.findall(r"^```python\n(.*?)^```", PAGE.read_text("utf-8"), re.S | re.M):
        if block.startswith(f"# {name}:"):
            return block
    raise AssertionError(f"docs/save-to-pay.md has no python block starting '# {name}:'")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def gunicorn(identity, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gunicorn")
    for name in ("partner-server.crt", "partner-server.key", "partner-ca.crt"):
        (folder / name).write_bytes(identity.files[name])
    (folder / "notify_app.py").write_text(_recipe_file("notify_app.py"), "utf-8")
    (folder / "gunicorn.conf.py").write_text(_recipe_file("gunicorn.conf.py"), "utf-8")
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "notify_app:app"],
        cwd=folder,
        env={**os.environ, "S2P_PARTNER_ID": S2P_PARTNER_ID, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    pytest.fail(f"gunicorn did not start:\n{output[-3000:]}")
                time.sleep(0.1)
        yield f"https://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        if process.stdout:
            process.stdout.close()


def _headers() -> dict[str, str]:
    return {"Request-Id": uuid.uuid4().hex, "Partner-Id": S2P_PARTNER_ID, "Content-Type": "application/json"}


def _client(cert: bytes, key: bytes, identity) -> httpx.Client:
    return httpx.Client(
        verify=client_context(certificate=cert, private_key=key, server_ca=identity.files["partner-ca.crt"])
    )


def test_samsungs_certificate_is_served(gunicorn, identity):
    files = identity.files
    with _client(files["s2p-client.crt"], files["s2p-client.key"], identity) as http:
        answer = http.post(f"{gunicorn}/notifications", content=json.dumps(READY), headers=_headers())
    assert answer.status_code == 200, answer.text
    assert answer.json()["card"]["data"]["encryptedData"].endswith(".your-issuer-blob")


def test_a_client_without_a_certificate_is_refused_in_the_handshake(gunicorn, identity):
    plain = ssl.create_default_context(cadata=identity.files["partner-ca.crt"].decode())
    plain.check_hostname = False
    with httpx.Client(verify=plain) as http, pytest.raises(httpx.TransportError):
        # TLS 1.3 reports the refused certificate on the first read, so the request fails, not connect.
        http.post(f"{gunicorn}/notifications", content=json.dumps(READY), headers=_headers())


def test_another_partners_certificate_gets_400_naming_partner_id(gunicorn, identity):
    ca = CertificateAuthority(
        load_private_key(identity.files["partner-ca.key"]), load_certificate(identity.files["partner-ca.crt"])
    )
    key = new_rsa_key()
    cert = cert_pem(
        issue_certificate(ca, key.public_key(), "9d8c7b6a-5f4e-4d3c-8b2a-190817263544", client=True, days=2)
    )
    with _client(cert, key_pem(key), identity) as http:
        answer = http.post(f"{gunicorn}/notifications", content=json.dumps(READY), headers=_headers())
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "Partner-Id"


def test_the_middleware_believes_only_the_socket():
    seen: list[object] = []

    def app(environ, start_response):
        seen.append(environ.get("SSL_CLIENT_CERT"))
        return []

    ClientCertificateFromSocket(app)({"SSL_CLIENT_CERT": "forged"}, None)  # no socket: nothing is believed
    assert seen == [None]


def test_a_certificate_without_client_auth_is_refused(gunicorn, identity):
    # gunicorn's ssl_context hook hands the handshake to linkkit's context, which requires clientAuth:
    # OpenSSL alone takes a certificate without the extendedKeyUsage extension for any purpose.
    ca = CertificateAuthority(
        load_private_key(identity.files["partner-ca.key"]), load_certificate(identity.files["partner-ca.crt"])
    )
    key = new_rsa_key()
    cert = cert_pem(issue_certificate(ca, key.public_key(), S2P_PARTNER_ID, days=2))  # no extendedKeyUsage
    with _client(cert, key_pem(key), identity) as http, pytest.raises(httpx.TransportError):
        http.post(f"{gunicorn}/notifications", content=json.dumps(READY), headers=_headers())
