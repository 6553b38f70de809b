"""Certificate expiry: what expires when, said early enough to act (30 days ahead by default).

:func:`keyring_expiries` lists every certificate of a :class:`~linkkit.keyring.Keyring` with the days it
has left; :func:`certificate_expiry` does one more (the mutual-TLS certificates of Save to Pay).
``linkkit keys check`` prints the list; the partner server logs each warning when it starts and once a
day after, and refuses to start with an expired certificate (:func:`refuse_expired`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from cryptography import x509

from linkkit.errors import CertificateExpiredError
from linkkit.keyring import ClickSecret, Keyring, PartnerKey, SamsungCertificate, current

#: Warn this many days before a certificate expires.
WARN_DAYS: Final = 30
_DAY: Final = 86400.0

Status = Literal["ok", "warn", "expired", "unknown"]


@dataclass(frozen=True, slots=True)
class Expiry:
    """One certificate or key and how long it has left.

    ``status`` is ``ok``, ``warn`` (fewer than the warning days left), ``expired``, or ``unknown`` (a key
    given without its certificate: nothing says when it expires).
    """

    role: str
    id: str | None
    source: str
    expires_at: float | None
    days_left: float | None
    status: Status
    in_use: bool = True

    @property
    def expires_on(self) -> str | None:
        """``YYYY-MM-DD`` (UTC) of the expiry, when known."""
        if self.expires_at is None:
            return None
        return dt.datetime.fromtimestamp(self.expires_at, dt.UTC).strftime("%Y-%m-%d")

    def describe(self) -> str:
        """One line for a person: role, id, file, and what to do."""
        name = f"{self.role} {self.id}" if self.id else self.role
        where = f" ({self.source})" if self.source else ""
        if self.status == "unknown":
            return f"{name}{where}: expiry unknown (no certificate given)"
        assert self.days_left is not None
        if self.status == "expired":
            return f"{name}{where}: EXPIRED on {self.expires_on} ({-self.days_left:.0f} days ago): replace it"
        state = "expires" if self.status == "ok" else "expires soon, renew it:"
        return f"{name}{where}: {state} on {self.expires_on} ({self.days_left:.0f} days left)"

    def to_json(self) -> dict[str, object]:
        return {
            "role": self.role,
            "id": self.id,
            "source": self.source,
            "expires_on": self.expires_on,
            "days_left": None if self.days_left is None else round(self.days_left, 1),
            "status": self.status,
            "in_use": self.in_use,
        }


def _status(expires_at: float | None, now: float, warn_days: float) -> tuple[float | None, Status]:
    if expires_at is None:
        return None, "unknown"
    days = (expires_at - now) / _DAY
    if days <= 0:
        return days, "expired"
    return days, "warn" if days <= warn_days else "ok"


def certificate_expiry(
    role: str,
    certificate: x509.Certificate | None,
    *,
    now: float,
    id: str | None = None,
    source: str = "",
    warn_days: float = WARN_DAYS,
    in_use: bool = True,
) -> Expiry:
    """The :class:`Expiry` of one certificate (``None``: a key without its certificate)."""
    expires_at = None if certificate is None else certificate.not_valid_after_utc.timestamp()
    days, status = _status(expires_at, now, warn_days)
    return Expiry(role, id, source, expires_at, days, status, in_use)


def keyring_expiries(keyring: Keyring, *, now: float, warn_days: float = WARN_DAYS) -> list[Expiry]:
    """Every partner key and Samsung certificate of ``keyring``; ``in_use`` marks the ones that sign or
    encrypt now (the others verify, or take over later)."""
    signing, encrypting = keyring.partner_key(now), keyring.encryption_certificate(now)
    found: list[Expiry] = []
    entries: Iterable[PartnerKey | SamsungCertificate] = (*keyring.partner_keys, *keyring.samsung_certificates)
    for entry in entries:
        role = "partner certificate" if isinstance(entry, PartnerKey) else "Samsung certificate"
        found.append(
            certificate_expiry(
                role,
                entry.certificate,
                now=now,
                id=entry.certificate_id,
                source=entry.source,
                warn_days=warn_days,
                in_use=entry is signing or entry is encrypting,
            )
        )
    if keyring.click_secrets:
        in_use = current(keyring.click_secrets, now)
        for secret in keyring.click_secrets:
            found.append(_secret(secret, secret is in_use))
    return found


def _secret(secret: ClickSecret, in_use: bool) -> Expiry:
    # HMAC secrets do not expire; they are listed so that the list is every key in use.
    return Expiry("click-link secret", secret.id, secret.source, None, None, "ok", in_use)


def refuse_expired(expiries: Iterable[Expiry], *, allow_expired: bool, logger: logging.Logger) -> None:
    """Log a warning for each certificate that expires within the warning window; raise
    :class:`~linkkit.errors.CertificateExpiredError` for an expired one unless ``allow_expired``
    (then log it as an error and go on)."""
    expired = []
    for item in expiries:
        if item.status == "warn":
            logger.warning("%s", item.describe())
        elif item.status == "expired":
            expired.append(item)
            logger.error("%s", item.describe())
    if expired and not allow_expired:
        raise CertificateExpiredError(
            f"{expired[0].describe()}; remove it from the keyring or replace it "
            "(allow_expired=True starts anyway, for tests)"
        )
