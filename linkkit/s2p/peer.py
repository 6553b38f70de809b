"""Which partner a Save to Pay client certificate belongs to, and the check that it is the one a
request names in ``Partner-Id``.

Mutual TLS proves that the peer holds a certificate the trusted CA signed; on its own it does not say
for *which* partner. Two partners whose certificates the same CA signs (one CA serves every partner
of an environment) could otherwise send each other's requests. The rule, our decision where
Samsung's pages are silent:

    **The client certificate's subject commonName is the S2P Partner ID**, exactly
    (``openssl req -new -key partner-client.key -subj "/CN=<Partner-Id>"``).

Both directions follow it: the partner's client certificate for the registrations API (partner →
S2P) and Samsung's client certificate for the partner's notification endpoint (S2P → partner) name
the Partner ID they act for. :func:`linkkit.identity.build_identity` writes it. A request whose
certificate names no Partner ID, or another one, is Invalid Data (400.1) naming ``Partner-Id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from cryptography import x509
from cryptography.x509.oid import NameOID

from linkkit.errors import FieldError
from linkkit.s2p import protocol as p

#: Why a request is refused when its certificate names another partner (or none).
WRONG_PARTNER: Final = "the client certificate does not name this Partner ID"
NO_PARTNER: Final = "the client certificate names no Partner ID (its subject commonName)"


def certificate_partner_id(certificate: str | bytes | x509.Certificate) -> str | None:
    """The Partner ID a client certificate names (its subject commonName), or None.

    :param certificate: PEM (``SSL_CLIENT_CERT`` of a WSGI environ), DER or a loaded certificate.
    """
    try:
        if isinstance(certificate, x509.Certificate):
            cert = certificate
        else:
            data = certificate.encode("ascii") if isinstance(certificate, str) else certificate
            loads = (
                x509.load_pem_x509_certificate if data.lstrip().startswith(b"-----") else x509.load_der_x509_certificate
            )
            cert = loads(data)
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    except (ValueError, UnicodeError):
        return None
    if len(names) != 1:
        return None
    value = names[0].value
    return value if isinstance(value, str) else None


def check_certificate_partner(
    certificate: str | bytes | x509.Certificate, headers: Mapping[str, str]
) -> list[FieldError]:
    """The rule a request breaks when its client certificate is not the partner's it names in
    ``Partner-Id`` (empty when it is). Check the headers first: this compares with the header as sent."""
    named = next((v for k, v in headers.items() if k.lower() == p.PARTNER_ID_HEADER.lower()), None)
    owner = certificate_partner_id(certificate)
    if owner is None:
        return [FieldError(p.PARTNER_ID_HEADER, NO_PARTNER)]
    if named is None or owner != named:
        return [FieldError(p.PARTNER_ID_HEADER, WRONG_PARTNER)]
    return []
