"""Keyrings: every key a partner server uses, several at once around a change-over.

A certificate is replaced long before it expires, and for a while both are in use:

* **partner keys** sign Card Data Tokens. Each was certified by the Partner Portal under its own
  ``certificateId``; the *current* one signs, the *next* one takes over at its ``use_from`` date
  (``linkkit keys rotate`` makes it). Samsung verifies by the ``certificateId`` of each token, so both
  verify during the change-over.
* **Samsung certificates** verify the AUTH tokens and signedAtwLinks Samsung sends. An AUTH token says
  which one signed it (``certificateId``): the keyring picks that one, and refuses an id it does not
  hold (``unknown_certificate``, 401). Card Data Tokens are encrypted to the current one; a new one
  named by Samsung becomes current at its ``use_from`` date.
* **click-link secrets** sign click-time links (:class:`~linkkit.partner.ClickLinks`): the current one
  signs new links, every one listed still verifies.

In each ring the *current* entry at a time ``now`` is, among the entries whose ``use_from`` has come
(none means "from the start") and whose certificate has not expired, the one with the latest
``use_from``; listed order breaks ties. When every such entry has expired the latest one is still
current (the server refuses to start with it, and ``/readyz`` says not ready).

A :class:`Keyring` is immutable; :mod:`linkkit.keyring_file` reads one from ``linkkit.toml`` and reads
it again when a file changes. Nothing here prints a key: ``repr`` shows ids only.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit.atw.tokens import ALLOWED_KEY_ALGS, KeyAlgorithm, TokenSigner
from linkkit.errors import ConfigError, UnknownCertificateError
from linkkit.keys import check_key_matches_certificate, public_key_of

#: A certificateId: String(64) of letters and digits (Samsung's samples use 4).
CERTIFICATE_ID: Final = re.compile(r"[A-Za-z0-9]{1,64}")
#: A click-link secret's label.
SECRET_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: Click-link secrets shorter than this are refused (HMAC-SHA256 keys should carry 256 bits).
MIN_SECRET_BYTES: Final = 32


def _expiry(certificate: x509.Certificate | None) -> float | None:
    return None if certificate is None else certificate.not_valid_after_utc.timestamp()


def _check_use_from(value: float | None, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConfigError(f"{what}.use_from: epoch seconds or None")


@dataclass(frozen=True, kw_only=True)
class PartnerKey:
    """One partner signing key and the certificate the Partner Portal issued for it.

    :param certificate_id: the id the Partner Portal gave the certificate (``certificateId``).
    :param private_key: the signing key.
    :param certificate: the certificate (its expiry is watched); ``None`` when only the key is known.
    :param use_from: epoch seconds from which this key signs (``None``: from the start).
    :param source: where it was read from, for messages.
    """

    certificate_id: str
    private_key: rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate | None = field(default=None, repr=False)
    use_from: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.certificate_id, str) or not CERTIFICATE_ID.fullmatch(self.certificate_id):
            raise ConfigError(f"partner key {self.source or ''}: certificate_id must be 1-64 letters and digits")
        if not isinstance(self.private_key, rsa.RSAPrivateKey):
            raise ConfigError(f"partner key {self.certificate_id}: private_key must be an RSA private key")
        if self.certificate is not None:
            check_key_matches_certificate(self.private_key, self.certificate)
        _check_use_from(self.use_from, f"partner key {self.certificate_id}")

    @property
    def id(self) -> str:
        return self.certificate_id

    @property
    def expires_at(self) -> float | None:
        """The certificate's ``notAfter`` in epoch seconds, or ``None`` when unknown."""
        return _expiry(self.certificate)


@dataclass(frozen=True, kw_only=True)
class SamsungCertificate:
    """One Samsung certificate: it verifies what Samsung signs, and Card Data Tokens are encrypted to it.

    :param certificate_id: the ``certificateId`` Samsung's tokens carry when this certificate signs
        them; ``None`` takes any id (only when the keyring holds this one certificate).
    :param public_key: its key (taken from ``certificate`` when that is given).
    :param certificate: the certificate (its expiry is watched).
    :param use_from: epoch seconds from which Card Data Tokens are encrypted to it.
    :param source: where it was read from, for messages.
    """

    certificate_id: str | None
    public_key: rsa.RSAPublicKey | None = field(default=None, repr=False)
    certificate: x509.Certificate | None = field(default=None, repr=False)
    use_from: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        label = self.certificate_id or self.source or "(any id)"
        if self.certificate_id is not None and (
            not isinstance(self.certificate_id, str) or not CERTIFICATE_ID.fullmatch(self.certificate_id)
        ):
            raise ConfigError(f"Samsung certificate {self.source}: certificate_id must be 1-64 letters and digits")
        key = self.public_key
        if self.certificate is not None:
            own = public_key_of(self.certificate)
            if key is not None and key.public_numbers() != own.public_numbers():
                raise ConfigError(f"Samsung certificate {label}: public_key is not the certificate's key")
            key = own
        if not isinstance(key, rsa.RSAPublicKey):
            raise ConfigError(f"Samsung certificate {label}: give its certificate (or an RSA public_key)")
        object.__setattr__(self, "public_key", key)
        _check_use_from(self.use_from, f"Samsung certificate {label}")

    @property
    def id(self) -> str | None:
        return self.certificate_id

    @property
    def key(self) -> rsa.RSAPublicKey:
        assert isinstance(self.public_key, rsa.RSAPublicKey)  # set in __post_init__
        return self.public_key

    @property
    def expires_at(self) -> float | None:
        return _expiry(self.certificate)


@dataclass(frozen=True, kw_only=True)
class ClickSecret:
    """One click-link HMAC secret (at least 32 random bytes) and the date it starts signing."""

    id: str
    secret: bytes = field(repr=False)
    use_from: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not SECRET_ID.fullmatch(self.id):
            raise ConfigError("click secret: id must be 1-64 letters, digits, '.', '_' or '-'")
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_SECRET_BYTES:
            raise ConfigError(f"click secret {self.id}: at least {MIN_SECRET_BYTES} random bytes")
        _check_use_from(self.use_from, f"click secret {self.id}")

    @property
    def expires_at(self) -> float | None:
        return None


class _Entry(Protocol):
    @property
    def use_from(self) -> float | None: ...

    @property
    def expires_at(self) -> float | None: ...


E = TypeVar("E", bound=_Entry)


def current(entries: Sequence[E], now: float) -> E:
    """The entry in use at ``now`` (the rule of the module docstring)."""
    started = [e for e in entries if e.use_from is None or e.use_from <= now]
    if not started:
        # nothing has started yet: the earliest to start is the best there is
        return min(entries, key=lambda e: e.use_from if e.use_from is not None else float("-inf"))
    live = [e for e in started if e.expires_at is None or e.expires_at > now] or started
    best = live[0]
    for entry in live[1:]:
        if (entry.use_from or float("-inf")) > (best.use_from or float("-inf")):
            best = entry
    return best


def upcoming(entries: Sequence[E], now: float) -> E | None:
    """The entry that takes over next (the earliest ``use_from`` after ``now``), if one is planned."""
    later = [e for e in entries if e.use_from is not None and e.use_from > now]
    return min(later, key=lambda e: e.use_from or 0.0) if later else None


def _unique(ids: Sequence[str | None], what: str) -> None:
    seen: set[str | None] = set()
    for value in ids:
        if value in seen:
            raise ConfigError(f"{what}: {value!r} is listed twice")
        seen.add(value)


@dataclass(frozen=True, kw_only=True)
class Keyring:
    """The partner's keys (see the module docstring).

    :param partner_id: the partner code (``partnerId``).
    :param partner_keys: signing keys, one per partner certificate.
    :param samsung_certificates: Samsung's certificates.
    :param click_secrets: click-link secrets (may be empty when no click-time links are served).
    :param key_alg: JWE key management for Card Data Tokens (``RSA1_5``, Samsung's, or ``RSA-OAEP``).
    :param source: where it was read from (a ``linkkit.toml``), for messages.
    """

    partner_id: str
    partner_keys: tuple[PartnerKey, ...] | Sequence[PartnerKey]
    samsung_certificates: tuple[SamsungCertificate, ...] | Sequence[SamsungCertificate]
    click_secrets: tuple[ClickSecret, ...] | Sequence[ClickSecret] = ()
    key_alg: KeyAlgorithm = "RSA1_5"
    source: str = ""
    _signers: dict[tuple[int, int, Any], TokenSigner] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.partner_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", self.partner_id):
            raise ConfigError("partner_id: 1-32 letters, digits, '_' or '-'")
        for name, kind in (
            ("partner_keys", PartnerKey),
            ("samsung_certificates", SamsungCertificate),
            ("click_secrets", ClickSecret),
        ):
            values = tuple(getattr(self, name))
            if any(not isinstance(v, kind) for v in values):
                raise ConfigError(f"{name}: each must be a linkkit.keyring.{kind.__name__}")
            object.__setattr__(self, name, values)
        if not self.partner_keys:
            raise ConfigError("partner_keys: give at least one partner key")
        if not self.samsung_certificates:
            raise ConfigError("samsung_certificates: give at least one Samsung certificate")
        _unique([k.certificate_id for k in self.partner_keys], "partner_keys")
        _unique([c.certificate_id for c in self.samsung_certificates], "samsung_certificates")
        _unique([s.id for s in self.click_secrets], "click_secrets")
        if len(self.samsung_certificates) > 1 and any(c.certificate_id is None for c in self.samsung_certificates):
            raise ConfigError("samsung_certificates: with several, each needs the certificate_id its tokens carry")
        if self.key_alg not in ALLOWED_KEY_ALGS:
            raise ConfigError(f"key_alg: one of {sorted(ALLOWED_KEY_ALGS)}")

    def current(self) -> Keyring:
        """This keyring (a :class:`KeyringSource` that never changes)."""
        return self

    # -- choosing -----------------------------------------------------------------------------------

    def partner_key(self, now: float) -> PartnerKey:
        """The partner key that signs at ``now``."""
        return current(self.partner_keys, now)

    def next_partner_key(self, now: float) -> PartnerKey | None:
        return upcoming(self.partner_keys, now)

    def encryption_certificate(self, now: float) -> SamsungCertificate:
        """The Samsung certificate Card Data Tokens are encrypted to at ``now``."""
        return current(self.samsung_certificates, now)

    def samsung_certificate(self, certificate_id: object) -> SamsungCertificate:
        """The Samsung certificate that verifies a token carrying ``certificateId`` ``certificate_id``.

        :raises UnknownCertificateError: no certificate of the keyring has that id.
        """
        certificates = self.samsung_certificates
        if len(certificates) == 1 and certificates[0].certificate_id is None:
            return certificates[0]
        for certificate in certificates:
            if certificate.certificate_id == certificate_id:
                return certificate
        raise UnknownCertificateError(
            "the token's certificateId names no Samsung certificate of this keyring (a retired one, or not Samsung's)"
        )

    def click_link_secrets(self, now: float) -> tuple[bytes, ...]:
        """The secrets for :class:`~linkkit.partner.ClickLinks`: the current one first (it signs), then
        every other (they verify)."""
        if not self.click_secrets:
            return ()
        first = current(self.click_secrets, now)
        return (first.secret, *(s.secret for s in self.click_secrets if s is not first))

    def signer(self, now: float, *, clock: Callable[[], float] = time.time) -> TokenSigner:
        """The :class:`~linkkit.atw.tokens.TokenSigner` in use at ``now``: the current partner key, encrypting
        to the current Samsung certificate. One object per pair, made once."""
        key, certificate = self.partner_key(now), self.encryption_certificate(now)
        cache_key = (id(key), id(certificate), clock)
        signer = self._signers.get(cache_key)
        if signer is None:
            with self._lock:
                signer = self._signers.setdefault(
                    cache_key,
                    TokenSigner(
                        partner_id=self.partner_id,
                        certificate_id=key.certificate_id,
                        private_key=key.private_key,
                        samsung_public_key=certificate.key,
                        key_alg=self.key_alg,
                        clock=clock,
                    ),
                )
        return signer

    def partner_certificate_ids(self) -> tuple[str, ...]:
        """Every partner certificateId of the ring (links made under any of them are ours)."""
        return tuple(k.certificate_id for k in self.partner_keys)

    def summary(self, now: float) -> dict[str, Any]:
        """Ids and dates, nothing secret: what ``/readyz`` and ``linkkit keys check --json`` show."""

        def entry(item: PartnerKey | SamsungCertificate | ClickSecret, in_use: object) -> dict[str, Any]:
            return {
                "id": item.certificate_id if not isinstance(item, ClickSecret) else item.id,
                "current": item is in_use,
                "use_from": item.use_from,
                "expires_at": item.expires_at,
            }

        signing, encrypting = self.partner_key(now), self.encryption_certificate(now)
        secret = current(self.click_secrets, now) if self.click_secrets else None
        return {
            "partner_id": self.partner_id,
            "partner_keys": [entry(k, signing) for k in self.partner_keys],
            "samsung_certificates": [entry(c, encrypting) for c in self.samsung_certificates],
            "click_secrets": [entry(s, secret) for s in self.click_secrets],
        }


class KeyringSource(Protocol):
    """Where the partner server gets its keyring from: a :class:`Keyring` (fixed) or a
    :class:`~linkkit.keyring_file.KeyringFile` (read again when its files change)."""

    def current(self) -> Keyring:
        """The keyring to use now (cheap: called for every request)."""
