"""Keys made to order for the operations tests: a second Samsung key and a second partner key, certificates
that expire when a test says, and linkkit.toml files with rings."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.identity import CertificateAuthority, cert_pem, issue_certificate, key_pem, new_rsa_key
from linkkit.keys import load_certificate, load_private_key
from tests.conftest import NOW, Identity


@dataclass(frozen=True)
class Spare:
    """Keys beyond the session identity's, made once per session (RSA key generation is slow)."""

    samsung_ca: CertificateAuthority
    samsung2_key: rsa.RSAPrivateKey
    partner2_key: rsa.RSAPrivateKey

    def certificate(
        self, key: rsa.RSAPrivateKey, *, expires: float, name: str = "linkkit ops test", days_before: float = 400
    ) -> x509.Certificate:
        """A certificate for ``key`` (issued by the sandbox Samsung CA) that expires at ``expires``."""
        end = dt.datetime.fromtimestamp(expires, dt.UTC)
        start = end - dt.timedelta(days=days_before)
        days = (end - start).days
        return issue_certificate(self.samsung_ca, key.public_key(), name, not_before=start, days=days)


@pytest.fixture(scope="session")
def spare(identity: Identity) -> Spare:
    ca = CertificateAuthority(
        load_private_key(identity.files["samsung-ca.key"]), load_certificate(identity.files["samsung-ca.crt"])
    )
    return Spare(ca, new_rsa_key(), new_rsa_key())


#: A year after the tests' frozen clock: certificates that are fine.
LATER = NOW + 365 * 86400.0


@pytest.fixture
def write_pem(tmp_path: Path) -> Callable[[str, Any], str]:
    """Write a key or certificate into the test's folder; returns the file name."""

    def write(name: str, value: Any) -> str:
        data = key_pem(value) if isinstance(value, rsa.RSAPrivateKey) else cert_pem(value)
        (tmp_path / name).write_bytes(data)
        return name

    return write


def write_toml(folder: Path, text: str) -> Path:
    path = folder / "linkkit.toml"
    path.write_text(textwrap.dedent(text), "utf-8")
    return path
