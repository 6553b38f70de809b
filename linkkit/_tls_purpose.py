"""The one rule on what a TLS peer's certificate is *for*: a client certificate must carry the
``clientAuth`` extended key usage, a server certificate ``serverAuth``.

OpenSSL treats a certificate without an extendedKeyUsage extension as good for any purpose, and it
cannot be told that the extension is required. Without this check the S2P server certificate, or a
certificate the CA issued only for signing, would pass as a client certificate in mutual TLS (and a
client certificate as a server's). So the check runs after the handshake, on the leaf certificate
the peer presented, and a refusal closes the connection before any HTTP is read or sent:

* :func:`enforce_peer_purpose` makes every socket (``wrap_socket``) and memory-BIO object
  (``wrap_bio``, what asyncio and anyio use) of a context check its handshake. :mod:`linkkit.tls`
  applies it to every context it makes.
* :func:`check_peer_purpose` is the check itself; the server every linkkit server runs on
  (:mod:`linkkit._serving`) calls it after the handshake when a context came from elsewhere.

The side decides the purpose: a server checks its client's certificate for ``clientAuth``, a client
its server's for ``serverAuth``. A server that asked for no client certificate has nothing to check.
``anyExtendedKeyUsage`` is not accepted: a certificate for mutual TLS names its role.
"""

from __future__ import annotations

import ssl
from typing import Any, Final

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from linkkit._redact import get_logger
from linkkit.errors import PeerCertificateError

logger = get_logger("linkkit.tls")

#: The usage each side requires of its peer's certificate: a server of its client, a client of its server.
CLIENT_AUTH: Final = ExtendedKeyUsageOID.CLIENT_AUTH
SERVER_AUTH: Final = ExtendedKeyUsageOID.SERVER_AUTH


def _refuse(message: str, *, code: str) -> PeerCertificateError:
    logger.warning("TLS peer refused: %s", message)
    return PeerCertificateError(message, code=code)


def check_certificate_purpose(der: bytes, *, server_side: bool) -> None:
    """Refuse ``der`` (the peer's leaf certificate) unless its EKU names the role the peer plays.

    :param server_side: True when we are the server (the peer is a client: ``clientAuth``).
    :raises PeerCertificateError: no extendedKeyUsage extension, or one without the usage.
    """
    role, usage, name = ("client", CLIENT_AUTH, "clientAuth") if server_side else ("server", SERVER_AUTH, "serverAuth")
    cert = x509.load_der_x509_certificate(der)
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        raise _refuse(
            f"the {role} certificate has no extendedKeyUsage extension (it must name {name})", code="no_eku"
        ) from None
    if usage not in eku:
        raise _refuse(f"the {role} certificate's extendedKeyUsage does not include {name}", code="wrong_eku")


def check_peer_purpose(tls: ssl.SSLSocket | ssl.SSLObject) -> None:
    """Check the certificate the peer of a finished handshake presented (see the module docstring).

    :raises PeerCertificateError: the certificate is not for the peer's role.
    """
    der = tls.getpeercert(binary_form=True)
    if der is None:
        # A client always has one (CERT_REQUIRED); a server that asked for none has nothing to check.
        if not tls.server_side:
            raise _refuse("the server presented no certificate", code="no_eku")
        return
    check_certificate_purpose(der, server_side=tls.server_side)


class PurposeCheckedSocket(ssl.SSLSocket):
    """An :class:`ssl.SSLSocket` whose handshake ends with :func:`check_peer_purpose`.

    A refused peer's connection is closed; the handshake raises :class:`PeerCertificateError`.
    """

    _purpose_checked = False

    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        if self._purpose_checked:
            return
        try:
            check_peer_purpose(self)
        except PeerCertificateError:
            self.close()
            raise
        self._purpose_checked = True

    # A socket wrapped with do_handshake_on_connect=False whose owner never calls do_handshake()
    # (gunicorn's sync worker does not) would handshake inside its first read or write, in C, past
    # the check: both finish the handshake here first, so nothing is read from or sent to a peer
    # whose certificate is not for its role.
    def read(self, len: int = 1024, buffer: Any = None) -> Any:
        if not self._purpose_checked and getattr(self, "_sslobj", None) is not None:  # connected
            self.do_handshake()
        return super().read(len, buffer)

    def send(self, data: Any, flags: int = 0) -> int:
        if not self._purpose_checked and getattr(self, "_sslobj", None) is not None:  # connected
            self.do_handshake()
        return super().send(data, flags)


class PurposeCheckedObject(ssl.SSLObject):
    """An :class:`ssl.SSLObject` (memory BIO: asyncio, anyio) whose handshake ends with the check."""

    def do_handshake(self) -> None:
        super().do_handshake()
        check_peer_purpose(self)


def enforce_peer_purpose(context: ssl.SSLContext) -> ssl.SSLContext:
    """Make every connection of ``context`` check its peer's certificate purpose; returns ``context``.

    Idempotent. Changes only which classes ``wrap_socket``/``wrap_bio`` return (documented
    attributes of :class:`ssl.SSLContext`), nothing else of the context.
    """
    context.sslsocket_class = PurposeCheckedSocket
    context.sslobject_class = PurposeCheckedObject
    return context


def checks_peer_purpose(context: ssl.SSLContext) -> bool:
    """Whether connections of ``context`` already run the check (:func:`enforce_peer_purpose`)."""
    return issubclass(context.sslsocket_class, PurposeCheckedSocket)
