"""Logging for the demo: readable request lines, and never a token, refId or capability URL.

Werkzeug logs each request line, and httpx each URL it calls; several of those paths carry secrets.
The demo has no redaction rules of its own: it uses linkkit's one helper (:mod:`linkkit._redact`),
whose URL rules know the demo's paths as well as linkkit's. :func:`configure_logging` puts the filter
on the *handler* too, so that records from any other library's logger are redacted as well.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from linkkit._redact import URL_LOGGERS, RedactingFilter, get_logger, redact_text

__all__ = ["URL_LOGGERS", "RedactingFilter", "configure_logging", "install_redaction", "redact"]

#: ``text`` with refIds, tokens and capability paths replaced (linkkit's helper).
redact = redact_text


def install_redaction() -> None:
    """Put the redacting filter on the loggers that print URLs (once; safe to call again)."""
    get_logger("demo_site")


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
