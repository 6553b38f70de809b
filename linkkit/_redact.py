"""The one redaction helper for every linkkit logger: no token, refId, key or OTP reaches a log line.

Two layers, because a log line must stay clean even when a caller forgets the first:

1. Code that wants to say *which* card or request it is about logs :func:`fingerprint` of the value, a
   short keyed hash that lets an operator match lines of one process without the value itself (refIds
   are bearer secrets: whoever has one can fetch the card).
2. Every linkkit logger comes from :func:`get_logger`, which adds :class:`RedactingFilter`. The filter
   formats the message and rewrites anything shaped like a secret: compact JWS/JWE tokens, ``Bearer``
   values, PEM blocks, and long base64url runs that mix letters and digits (refIds, signatures, keys).
   Short secrets (an OTP, a merchant's order-number refId) have no shape to find: code must not log them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from typing import Final

#: What replaces a secret in a log line.
REDACTED: Final = "[redacted]"

# A per-process key: fingerprints match within one process's logs, and a short merchant refId (an order
# number) cannot be found again by hashing candidates, as it could with a plain hash.
_FINGERPRINT_KEY: Final = os.urandom(16)

_UUID: Final = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_SECRET_SHAPES: Final = re.compile(
    r"-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----"  # PEM keys and certificates
    r"|(?i:bearer)\s+\S+"  # an Authorization value, whatever follows the scheme
    r"|eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2,}"  # compact JWS (3 parts) and JWE (5): a JSON header first
    # A run of 20+ base64url characters with a letter and a digit in it: refIds, signatures, keys. Words
    # and identifiers (no digit) and request UUIDs (not secret, needed to follow a request) stay.
    rf"|(?<![A-Za-z0-9_-])(?!{_UUID}(?![A-Za-z0-9_-]))(?=[A-Za-z_-]*[0-9])(?=[0-9_-]*[A-Za-z])"
    r"[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])",
    re.DOTALL,
)


def fingerprint(value: str, *, kind: str = "ref") -> str:
    """``ref#1a2b3c4d``: the same value gives the same fingerprint within one process, and the value
    cannot be read back from it."""
    digest = hashlib.blake2b(value.encode("utf-8", "replace"), key=_FINGERPRINT_KEY, digest_size=4)
    return f"{kind}#{digest.hexdigest()}"


def redact_text(text: str) -> str:
    """``text`` with every secret-shaped run replaced by :data:`REDACTED`."""
    return _SECRET_SHAPES.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, arguments and exception text through :func:`redact_text`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


_FILTER: Final = RedactingFilter()


def get_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with the redacting filter attached (once)."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger
