"""Logging for the demo: readable request lines, and never a token, refId or capability URL.

Werkzeug logs each request line, and httpx each URL it calls. Several of those paths carry
secrets: ``/cards/{cardId}/{refId}`` (Samsung calling the partner), click-time links
``/w/{token}``, S2P welcome and wallet-app URLs (bearer capabilities) and sandbox session ids.
:class:`RedactingFilter` sits on the *handler*, so it sees every record from every logger.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Final, TextIO

#: (pattern, replacement) applied to every formatted log line.
_RULES: Final = (
    # Get Card Data / Send Card State / Request Action: keep the card id, hide the refId.
    (re.compile(r"(/cards/[A-Za-z0-9_-]{1,32}/)[A-Za-z0-9._~-]+"), r"\1…"),
    # click-time link tokens, S2P welcome and wallet-app capabilities, landing session ids
    (re.compile(r"(/(?:w|welcome|wallet|s)/)[A-Za-z0-9._~-]{8,}"), r"\1…"),
    # link data and ids in queries and fragments (#Clip?cdata=, ?refId= ...); cc2= and event= stay
    (re.compile(r"([?&#;](?:Clip\?)?(?:cdata|pdata|adata|refId|oldRefId|token|regId)=)[^&\s\"']+"), r"\1…"),
    # a bare JWS/JWE anywhere (three or five base64url parts)
    (re.compile(r"\beyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}"), "<token>"),
)


def redact(text: str) -> str:
    """``text`` with refIds, tokens and capability paths replaced by ``…``."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (arguments merged in) through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: keep it, redacted as-is
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        return True


#: Loggers that print URLs; :func:`install_redaction` filters them even when nobody configured logging.
URL_LOGGERS: Final = ("werkzeug", "httpx")


def install_redaction() -> None:
    """Put a :class:`RedactingFilter` on the loggers that print URLs (once; safe to call again)."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


def configure_logging(stream: TextIO | None = None, level: int = logging.INFO) -> logging.Handler:
    """One handler on the root logger, with :class:`RedactingFilter`; returns it (to remove later)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("[%(name)s] %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every URL at INFO: the partner calls are already in the werkzeug lines.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return handler
