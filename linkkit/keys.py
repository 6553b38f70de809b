"""Load the partner private key and the Samsung certificate once, as objects.

Loading an RSA private key costs ~65 ms (``cryptography`` validates it), so load it once at
start-up and pass the object around (loading and checking a key costs milliseconds). Error messages name the
file and the problem, never the key material.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.errors import KeyLoadError

#: A path to a PEM file, or the PEM itself (``bytes``, or ``str`` starting with ``-----BEGIN``).
KeySource = str | bytes | os.PathLike[str]

#: RSA keys shorter than this are refused: Samsung's certificates are RSA-2048.
MIN_RSA_BITS = 2048


def read_pem(source: KeySource, what: str) -> tuple[bytes, str]:
    """PEM bytes and a name for messages, from a path, PEM bytes or PEM text."""
    if isinstance(source, bytes):
        return source, f"{what} (bytes)"
    if isinstance(source, str) and source.lstrip().startswith("-----BEGIN"):
        return source.encode("ascii", "replace"), f"{what} (PEM text)"
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"{what} must be a path, PEM bytes or PEM text (got {type(source).__name__})")
    path = Path(source)
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise KeyLoadError(f"{what} {path}: cannot read ({exc.strerror or exc})") from exc


def load_private_key(source: KeySource, *, password: str | bytes | None = None) -> rsa.RSAPrivateKey:
    """Load an RSA private key from PKCS#1 (``BEGIN RSA PRIVATE KEY``) or PKCS#8 PEM.

    :param source: a path, or the PEM as bytes or text.
    :param password: for an encrypted PEM.
    :raises KeyLoadError: unreadable file, wrong password, not RSA, or shorter than 2048 bits.
    """
    data, name = read_pem(source, "private key")
    pw = password.encode() if isinstance(password, str) else password
    try:
        key = serialization.load_pem_private_key(data, password=pw)
    except TypeError as exc:
        # cryptography raises TypeError for "password given but not encrypted" and the reverse.
        hint = "it is encrypted: give its password" if pw is None else "it is not encrypted: drop the password"
        raise KeyLoadError(f"{name}: {hint}") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        hint = "wrong password, or " if pw is not None else ""
        raise KeyLoadError(f"{name}: {hint}not a PEM private key (PKCS#1 or PKCS#8)") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyLoadError(f"{name}: an RSA key is required (got {type(key).__name__.lstrip('_')})")
    if key.key_size < MIN_RSA_BITS:
        raise KeyLoadError(f"{name}: RSA key must be at least {MIN_RSA_BITS} bits (got {key.key_size})")
    return key


def load_certificate(source: KeySource) -> x509.Certificate:
    """Load an X.509 certificate (PEM) whose key is RSA.

    :raises KeyLoadError: unreadable, not a PEM certificate, or not an RSA key.
    """
    data, name = read_pem(source, "certificate")
    try:
        cert = x509.load_pem_x509_certificate(data)
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyLoadError(f"{name}: not a PEM X.509 certificate") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyLoadError(f"{name}: the certificate's key must be RSA")
    if key.key_size < MIN_RSA_BITS:
        raise KeyLoadError(f"{name}: the certificate's key must be at least {MIN_RSA_BITS} bits (got {key.key_size})")
    return cert


def public_key_of(certificate: x509.Certificate) -> rsa.RSAPublicKey:
    """The RSA public key of a certificate loaded with :func:`load_certificate`."""
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyLoadError("the certificate's key must be RSA")
    return key


def check_key_matches_certificate(private_key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> None:
    """Raise :class:`KeyLoadError` unless ``certificate`` carries the public half of ``private_key``."""
    if private_key.public_key().public_numbers() != public_key_of(certificate).public_numbers():
        subject = certificate.subject.rfc4514_string() or "(no subject)"
        raise KeyLoadError(f"the private key does not belong to the certificate {subject}")
