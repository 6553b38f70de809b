"""The keys the sandbox holds as Samsung: its own certificates, and the partner certificates it registered.

Both change the way they change at Samsung, so that a partner can rehearse a rotation against the sandbox:

* **Samsung's certificates.** One *active* certificate signs the AUTH tokens and signedAtwLinks the sandbox
  sends, its ``certificateId`` in each token's header. A new one can be published next to it (it decrypts
  Card Data Tokens encrypted to it at once, and signs nothing yet), made active, and the old one retired
  (it no longer decrypts). Card Data Tokens are tried against every certificate that is not retired.
* **The partner's certificates.** Card Data Tokens and the partner's AUTH tokens are verified with the
  certificate their ``certificateId`` names. A new one is certified from the partner's CSR, as the
  Partner Portal does (by a sandbox CA made on first use), and given a fresh id; an old one can be retired.

The control API (:mod:`linkkit.sandbox.control`) exposes these under ``/_sandbox/samsung-certificates`` and
``/_sandbox/partner-certificates``. Nothing here is returned or logged but public certificates and ids.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.atw.verify import OpenedCardToken, TokenVerifier, decode_jws
from linkkit.errors import ConfigError, DecryptionError, KeyLoadError, UnknownCertificateError
from linkkit.identity import CertificateAuthority, cert_pem, issue_certificate, make_ca, new_rsa_key, sign_csr
from linkkit.keys import public_key_of
from linkkit.sandbox.config import SandboxConfig

_ALPHANUMERIC: Final = string.ascii_letters + string.digits
_CERTIFICATE_ID_LENGTH: Final = 4


def new_certificate_id(taken: set[str]) -> str:
    """A fresh 4-character certificate id, as the Partner Portal gives."""
    while True:
        value = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(_CERTIFICATE_ID_LENGTH))
        if value not in taken:
            return value


def _check_id(value: object) -> str:
    if not isinstance(value, str) or not value.isascii() or not value.isalnum() or len(value) > 64:
        raise ConfigError("certificateId: 1-64 letters and digits")
    return value


@dataclass(frozen=True, slots=True)
class SamsungCertificate:
    """One of the sandbox's Samsung certificates."""

    certificate_id: str
    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate | None
    active: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "certificateId": self.certificate_id,
            "active": self.active,
            "notAfter": None if self.certificate is None else self.certificate.not_valid_after_utc.isoformat(),
        }


class SandboxKeys:
    """Samsung's certificates and the partner's, as held by one sandbox (thread-safe; see the module
    docstring). Readers take a snapshot tuple, writers replace it under the lock."""

    def __init__(self, config: SandboxConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._ca: CertificateAuthority | None = None
        first = SamsungCertificate(config.samsung_id, config.samsung_private_key, None, active=True)
        self._samsung: tuple[SamsungCertificate, ...] = (first,)
        self._partner: dict[str, rsa.RSAPublicKey] = {config.certificate_id: config.partner_public_key}
        self._partner_certificates: dict[str, x509.Certificate] = {}

    # -- Samsung's side -------------------------------------------------------------------------------

    def signing(self) -> SamsungCertificate:
        """The active Samsung certificate (it signs what the sandbox sends)."""
        return next(c for c in self._samsung if c.active)

    def decryption_keys(self) -> list[rsa.RSAPrivateKey]:
        """The keys of every Samsung certificate not retired, the active one first."""
        live = sorted(self._samsung, key=lambda c: not c.active)
        return [c.private_key for c in live]

    def samsung_certificates(self) -> tuple[SamsungCertificate, ...]:
        return self._samsung

    def samsung_certificate(self, certificate_id: str) -> SamsungCertificate | None:
        return next((c for c in self._samsung if c.certificate_id == certificate_id), None)

    def publish_samsung_certificate(self, certificate_id: str | None = None, *, days: int = 825) -> SamsungCertificate:
        """A new Samsung key and certificate: it decrypts at once, and signs once :meth:`activate_samsung`."""
        key = new_rsa_key()
        with self._lock:
            taken = {c.certificate_id for c in self._samsung}
            chosen = _check_id(certificate_id) if certificate_id is not None else new_certificate_id(taken)
            if chosen in taken:
                raise ConfigError(f"certificateId: {chosen} is taken")
            certificate = issue_certificate(
                self._authority(), key.public_key(), f"wallet.samsung.sandbox {chosen}", days=days
            )
            made = SamsungCertificate(chosen, key, certificate)
            self._samsung = (*self._samsung, made)
        return made

    def activate_samsung(self, certificate_id: str) -> SamsungCertificate:
        """Sign with ``certificate_id`` from now on."""
        with self._lock:
            if self.samsung_certificate(certificate_id) is None:
                raise KeyError(certificate_id)
            self._samsung = tuple(
                SamsungCertificate(c.certificate_id, c.private_key, c.certificate, c.certificate_id == certificate_id)
                for c in self._samsung
            )
            return self.signing()

    def retire_samsung(self, certificate_id: str) -> None:
        """Forget a certificate that no longer signs (it decrypts nothing from now on)."""
        with self._lock:
            found = self.samsung_certificate(certificate_id)
            if found is None:
                raise KeyError(certificate_id)
            if found.active:
                raise ConfigError("the active Samsung certificate cannot be retired: activate another one first")
            self._samsung = tuple(c for c in self._samsung if c.certificate_id != certificate_id)

    # -- the partner's certificates ----------------------------------------------------------------

    def partner_ids(self) -> frozenset[str]:
        return frozenset(self._partner)

    def partner_key(self, certificate_id: str | None) -> rsa.RSAPublicKey | None:
        """The key of the partner certificate ``certificate_id`` (``None``: the first one, for ver 1 tokens)."""
        if certificate_id is None:
            return self._config.partner_public_key
        return self._partner.get(certificate_id)

    def partner_certificate(self, certificate_id: str) -> x509.Certificate | None:
        return self._partner_certificates.get(certificate_id)

    def certify_partner_csr(self, csr_pem: bytes, certificate_id: str | None = None) -> tuple[str, x509.Certificate]:
        """Sign a partner CSR as the Partner Portal does; returns the new certificate's id and certificate.

        :raises linkkit.errors.KeyLoadError: not a PEM CSR, a bad signature, or not RSA-2048 or more.
        """
        try:
            csr = x509.load_pem_x509_csr(csr_pem)
        except ValueError as exc:
            raise KeyLoadError("the body is not a PEM certificate signing request") from exc
        key = csr.public_key()
        if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
            raise KeyLoadError("the CSR's key must be RSA of 2048 bits or more")
        with self._lock:
            taken = set(self._partner)
            chosen = _check_id(certificate_id) if certificate_id is not None else new_certificate_id(taken)
            if chosen in taken:
                raise ConfigError(f"certificateId: {chosen} is taken")
            certificate = sign_csr(self._authority(), csr)
            self._partner = {**self._partner, chosen: public_key_of(certificate)}
            self._partner_certificates = {**self._partner_certificates, chosen: certificate}
        return chosen, certificate

    def retire_partner(self, certificate_id: str) -> None:
        with self._lock:
            if certificate_id not in self._partner:
                raise KeyError(certificate_id)
            if len(self._partner) == 1:
                raise ConfigError("the partner's only certificate cannot be retired")
            self._partner = {k: v for k, v in self._partner.items() if k != certificate_id}

    def _authority(self) -> CertificateAuthority:
        # made on first use: a sandbox without rotations never pays for the key
        if self._ca is None:
            self._ca = make_ca(
                "linkkit sandbox Partner Portal CA", now=dt.datetime.fromtimestamp(self._config.clock(), dt.UTC)
            )
        return self._ca

    # -- verifying what the partner sends ----------------------------------------------------------

    def partner_verifier(self, token: str, make: Callable[..., TokenVerifier], *, version: int = 3) -> TokenVerifier:
        """The verifier of the partner certificate ``token`` names (``make`` gets the key and the id).

        :raises linkkit.errors.UnknownCertificateError: the id is not a registered partner certificate.
        """
        header = decode_jws(token).header
        named = header.get("certificateId")
        certificate_id = named if isinstance(named, str) else None
        key = self.partner_key(certificate_id)
        if key is None:
            raise UnknownCertificateError("the token's certificateId is not a partner certificate registered here")
        return make(key, certificate_id if version == 3 or certificate_id is not None else None)

    def open_card_data_token(
        self, token: str, make: Callable[..., TokenVerifier], *, version: int = 3
    ) -> OpenedCardToken:
        """Verify with the partner certificate the token names, and decrypt with whichever Samsung key it was
        encrypted to (the active one first)."""
        verifier = self.partner_verifier(token, make, version=version)
        failed: DecryptionError | None = None
        for key in self.decryption_keys():
            try:
                return _with_decryption_key(verifier, key).open_card_data_token(token)
            except DecryptionError as exc:
                failed = failed or exc
        assert failed is not None  # there is always an active Samsung key
        raise failed

    def to_json(self) -> dict[str, Any]:
        return {
            "samsung": [c.to_json() for c in self._samsung],
            "partner": sorted(self._partner),
        }


def _with_decryption_key(verifier: TokenVerifier, key: rsa.RSAPrivateKey) -> TokenVerifier:
    import dataclasses

    return dataclasses.replace(verifier, decryption_key=key)


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return cert_pem(certificate)
