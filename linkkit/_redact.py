"""The one redaction helper for every linkkit logger: no token, refId, key or OTP reaches a log line.

Two layers, because a log line must stay clean even when a caller forgets the first:

1. Code that wants to say *which* card or request it is about logs :func:`fingerprint` of the value, a
   short keyed hash that lets an operator match lines of one process without the value itself (refIds
   are bearer secrets: whoever has one can fetch the card).
2. Every linkkit logger comes from :func:`get_logger`, which adds :class:`RedactingFilter`. The filter
   formats the message and rewrites anything shaped like a secret: compact JWS/JWE tokens, ``Bearer``
   values, PEM blocks, and long base64url runs that mix letters and digits (refIds, signatures, keys).
   URLs are rewritten by where a secret sits rather than by its shape, because a short refId (an order
   number) has no shape: the refId segment of ``/cards/{cardId}/{refId}``, the capability segment of
   click-time links (``/w/``), button mints (``/mint/``), S2P welcome and wallet-app URLs (``/welcome/``,
   ``/wallet/``) and sandbox sessions (``/s/``), and link data or ids in queries and fragments
   (``cdata=``, ``refId=``, ``regId=``...) become ``…``. That is what keeps the access logs of werkzeug
   and the request lines of httpx clean: :func:`get_logger` puts the filter on those loggers too.
   Other short secrets (an OTP typed by a user) have no place to find: code must not log them.
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


#: What replaces a secret part of a URL (a path segment or a query value).
ELIDED: Final = "…"

# (pattern, replacement): the secret parts of URLs, found by position (see the module docstring).
_URL_RULES: Final = (
    # Get Card Data / Send Card State / Request Action: keep the card id, hide the refId (the Update
    # Notification path ``/cards/{cardId}/updates`` names no card and stays).
    (re.compile(r"(/cards/[A-Za-z0-9_-]{1,32}/)(?!updates(?![A-Za-z0-9._~%-]))[A-Za-z0-9._~%-]+"), rf"\1{ELIDED}"),
    # click-time link tokens, button mints, S2P welcome and wallet-app capabilities, landing session ids
    (re.compile(r"(/(?:w|mint|welcome|wallet|s)/)[A-Za-z0-9._~%-]{8,}"), rf"\1{ELIDED}"),
    # link data and ids in queries and fragments (#Clip?cdata=, ?refId= ...); cc2= and event= stay
    (
        re.compile(r"([?&#;](?:Clip\?)?(?:cdata|pdata|adata|refId|oldRefId|token|regId|otp)=)[^&\s\"'#]+"),
        rf"\1{ELIDED}",
    ),
)

#: The loggers of the libraries linkkit runs that print URLs: werkzeug's access log (the servers linkkit
#: starts), httpx and httpcore (every client call). :func:`get_logger` filters them as well.
URL_LOGGERS: Final = ("werkzeug", "httpx", "httpcore")


def fingerprint(value: str, *, kind: str = "ref") -> str:
    """``ref#1a2b3c4d``: the same value gives the same fingerprint within one process, and the value
    cannot be read back from it."""
    digest = hashlib.blake2b(value.encode("utf-8", "replace"), key=_FINGERPRINT_KEY, digest_size=4)
    return f"{kind}#{digest.hexdigest()}"


def redact_shapes(text: str) -> str:
    """``text`` with every secret-shaped run (tokens, ``Bearer`` values, PEM blocks, long base64url ids)
    replaced by :data:`REDACTED`; URLs are not rewritten by position. For text whose known secrets the
    caller has already replaced (the probe's report names its refIds ``{refId}``)."""
    return _SECRET_SHAPES.sub(REDACTED, text)


def redact_text(text: str) -> str:
    """``text`` with the secret parts of URLs replaced by :data:`ELIDED` and every other secret-shaped
    run by :data:`REDACTED`."""
    for pattern, replacement in _URL_RULES:
        text = pattern.sub(replacement, text)
    return redact_shapes(text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, arguments and exception text through :func:`redact_text`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record (arguments that do not fit): keep it, redacted
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


_FILTER: Final = RedactingFilter()


def _filtered(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


def get_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with the redacting filter attached (once).

    A logger's filters see only the records logged on that logger, not those of its children, so every
    module asks for its own logger here. The :data:`URL_LOGGERS` are filtered on the first call, so that
    the access lines of any server linkkit starts and the URLs its clients call are redacted too."""
    for url_logger in URL_LOGGERS:
        _filtered(url_logger)
    return _filtered(name)
