"""``signedAtwLink``: the Samsung-signed link a Request Action ``CHECK_ELIGIBILITY`` carries (format: ours).

Wire format (our decision, public docs are silent)::

    signedAtwLink = base64url_nopad( "{atwLink}&ts={epochMillis}&sig={s}" )
    s             = base64url_nopad( RS256 signature over UTF-8 "{atwLink}&ts={epochMillis}" )

The partner verifies it with the Samsung certificate, refuses a ``ts`` older than 5 minutes, and
spends each signedAtwLink once (the Request Action endpoint remembers its signature until it expires).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit._b64 import b64url_decode, b64url_encode
from linkkit.atw._jose import rs256_sign, rs256_verifies
from linkkit.atw.tokens import DEFAULT_CLOCK_SKEW_S
from linkkit.errors import BadSignatureError, MalformedTokenError, TokenExpiredError, TokenFromFutureError

#: A signedAtwLink older than this is refused (our decision: 5 minutes; configurable per call).
SIGNED_ATW_LINK_MAX_AGE_S: Final = 300.0
_TAIL = re.compile(r"&ts=(?P<ts>[0-9]{1,15})&sig=(?P<sig>[A-Za-z0-9_-]+)\Z")


@dataclass(frozen=True, slots=True)
class SignedAtwLink:
    """A verified signedAtwLink: the ATW link and when Samsung signed it.

    ``signature`` (the decoded bytes) identifies it: the partner spends each one once
    (:func:`linkkit.atw.replay.signed_link_key`).
    """

    atw_link: str = field(repr=False)
    ts_ms: int
    signature: bytes = field(default=b"", repr=False, compare=False)


def sign_atw_link(atw_link: str, private_key: rsa.RSAPrivateKey, *, clock: Callable[[], float] = time.time) -> str:
    """Samsung's side: sign ``atw_link`` with a timestamp (used by the sandbox)."""
    ts = int(clock() * 1000)
    signed = f"{atw_link}&ts={ts}"
    sig = rs256_sign(signed.encode("utf-8"), private_key)
    return b64url_encode(f"{signed}&sig={b64url_encode(sig)}".encode())


def verify_signed_atw_link(
    value: str,
    public_key: rsa.RSAPublicKey,
    *,
    max_age: float = SIGNED_ATW_LINK_MAX_AGE_S,
    clock_skew: float = DEFAULT_CLOCK_SKEW_S,
    clock: Callable[[], float] = time.time,
) -> SignedAtwLink:
    """The partner's side: check the signature with the Samsung certificate's key, and the age.

    :raises MalformedTokenError: not base64url, or no ``&ts=..&sig=..`` tail.
    :raises BadSignatureError: tampered link or timestamp, or another signer.
    :raises TokenExpiredError: older than ``max_age`` seconds.
    """
    if not isinstance(value, str) or len(value) > 16384:
        raise MalformedTokenError("signedAtwLink must be base64url text")
    try:
        decoded = b64url_decode(value).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedTokenError("signedAtwLink is not base64url UTF-8") from exc
    match = _TAIL.search(decoded)
    if not match:
        raise MalformedTokenError("signedAtwLink must end with &ts={epochMillis}&sig={signature}")
    signed = decoded[: match.start("sig") - len("&sig=")]
    try:
        signature = b64url_decode(match["sig"])
    except ValueError as exc:
        raise BadSignatureError("signedAtwLink signature does not verify with the Samsung certificate") from exc
    if not rs256_verifies(signature, signed.encode("utf-8"), public_key):
        raise BadSignatureError("signedAtwLink signature does not verify with the Samsung certificate")
    ts = int(match["ts"])
    age = clock() - ts / 1000
    if age > max_age:
        raise TokenExpiredError(f"signedAtwLink is {age:.0f} s old; the limit is {max_age:g} s")
    if age < -clock_skew:
        raise TokenFromFutureError("signedAtwLink ts is in the future (clock skew?)")
    return SignedAtwLink(atw_link=decoded[: match.start()], ts_ms=ts, signature=signature)
