"""TLS contexts for mutual TLS, both directions of Save to Pay (two CAs, one per direction).

Samsung requires mutual TLS (TLS 1.2) in both directions, each client certificate issued by the other
side (https://developer.samsung.com/pay/save2pay/api-introduction.html):

* partner → S2P: the partner presents the client certificate Samsung's CA signed from its CSR
  and trusts Samsung's CA for the S2P server certificate;
* S2P → partner: Samsung presents a client certificate the partner's CA signed, and the
  partner's notification endpoint requires it.

::

    server = server_context(certificate="partner-server.crt", private_key="partner-server.key",
                            client_ca="partner-ca.crt")
    client = client_context(certificate="partner-client.crt", private_key="partner-client.key",
                            server_ca="samsung-ca.crt")

Both refuse anything below TLS 1.2 (Samsung's protocol; 1.3 is allowed). A server context
requires a client certificate signed by ``client_ca``: without one the handshake fails, before
any HTTP is read. Both check the purpose of the peer's certificate after the handshake
(:mod:`linkkit._tls_purpose`): a server refuses a client certificate whose extendedKeyUsage lacks
``clientAuth`` (or that has none), a client a server certificate without ``serverAuth``; OpenSSL
alone accepts a certificate without the extension for any purpose. Every source may be a file path
or the PEM itself (:data:`linkkit.keys.KeySource`).
"""

from __future__ import annotations

import os
import ssl
import tempfile
from pathlib import Path
from typing import Final

from cryptography import x509

from linkkit._tls_purpose import enforce_peer_purpose
from linkkit.errors import KeyLoadError
from linkkit.keys import KeySource, load_certificate, read_pem

#: The lowest protocol either side accepts (Samsung's "Security Protocols": "Protocol: TLS v1.2").
MINIMUM_TLS_VERSION: Final = ssl.TLSVersion.TLSv1_2


def _pem_text(source: KeySource, what: str) -> str:
    data, _name = read_pem(source, what)
    return data.decode("ascii", "replace")


def _load_chain(context: ssl.SSLContext, certificate: KeySource, private_key: KeySource) -> None:
    cert, cert_name = read_pem(certificate, "certificate")
    key, key_name = read_pem(private_key, "private key")
    # ssl only loads a chain from files: PEM given in memory goes through a private temporary
    # directory (0700) that is removed at once.
    with tempfile.TemporaryDirectory(prefix="linkkit-tls-") as tmp:
        cert_file, key_file = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        cert_file.write_bytes(cert)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        try:
            context.load_cert_chain(cert_file, key_file)
        except ssl.SSLError as exc:
            raise KeyLoadError(
                f"{cert_name} / {key_name}: not a usable certificate and private key pair ({exc.reason or exc})"
            ) from exc


def _load_ca(context: ssl.SSLContext, ca: KeySource, what: str) -> None:
    try:
        context.load_verify_locations(cadata=_pem_text(ca, what))
    except (ssl.SSLError, ValueError) as exc:
        raise KeyLoadError(f"{what}: not a PEM CA certificate") from exc


def server_context(
    *,
    certificate: KeySource,
    private_key: KeySource,
    client_ca: KeySource | None,
    minimum_version: ssl.TLSVersion = MINIMUM_TLS_VERSION,
) -> ssl.SSLContext:
    """A server context; with ``client_ca`` it is mutual TLS (``CERT_REQUIRED``, and the client
    certificate must carry the ``clientAuth`` extended key usage).

    :param certificate: the server's certificate (its SANs must name the host clients connect to).
    :param private_key: its private key.
    :param client_ca: the CA whose client certificates are accepted; None for one-way TLS.
    :raises KeyLoadError: a file is unreadable or the key does not match the certificate.
    """
    _check_version(minimum_version)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = minimum_version
    _load_chain(context, certificate, private_key)
    if client_ca is not None:
        _load_ca(context, client_ca, "client CA")
        context.verify_mode = ssl.CERT_REQUIRED
    return enforce_peer_purpose(context)


def client_context(
    *,
    certificate: KeySource | None,
    private_key: KeySource | None,
    server_ca: KeySource | None,
    minimum_version: ssl.TLSVersion = MINIMUM_TLS_VERSION,
) -> ssl.SSLContext:
    """A client context that presents ``certificate`` and verifies the server (hostname included, and
    the ``serverAuth`` extended key usage).

    :param certificate: the client certificate (None: present none, e.g. to test a refusal).
    :param private_key: its private key.
    :param server_ca: the CA that signed the server certificate; None trusts the system store
        (production S2P uses Samsung's own CA, so pass it).
    :raises KeyLoadError: a file is unreadable or the key does not match the certificate.
    """
    _check_version(minimum_version)
    if (certificate is None) != (private_key is None):
        raise ValueError("give both certificate and private_key, or neither")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # check_hostname and CERT_REQUIRED by default
    context.minimum_version = minimum_version
    if server_ca is None:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    else:
        _load_ca(context, server_ca, "server CA")
    if certificate is not None and private_key is not None:
        _load_chain(context, certificate, private_key)
    return enforce_peer_purpose(context)


def _check_version(version: ssl.TLSVersion) -> None:
    if not isinstance(version, ssl.TLSVersion):
        raise TypeError("minimum_version must be an ssl.TLSVersion")
    if version not in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        raise ValueError("minimum_version must be TLS 1.2 or TLS 1.3 (Save to Pay requires TLS 1.2)")


def certificate_expires_in(source: KeySource | x509.Certificate, *, now: float) -> float:
    """Seconds until the certificate expires (negative once it has): monitor it, as Samsung's
    Save to Pay best practices ask ("Keep your client certificate secure and monitor expiration dates")."""
    cert = source if isinstance(source, x509.Certificate) else load_certificate(source)
    return cert.not_valid_after_utc.timestamp() - now
