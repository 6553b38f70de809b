"""Structured logs: one JSON object per line, for log shippers (``LINKKIT_LOG_FORMAT=json``).

Every line has ``time`` (ISO 8601, UTC, milliseconds), ``level``, ``logger`` and ``message``; the
partner's access line (logger ``linkkit.access``, one per call) adds ``request_id``, ``endpoint``,
``outcome``, ``code``, ``status`` and ``duration_ms``. Every string goes through
:func:`linkkit._redact.redact_text` on its way out, so a token or a refId that reached a message by
mistake is still not written.

:func:`configure_logging` is what ``LINKKIT_LOG_FORMAT=json`` does (the partner server calls it when it
starts): a stderr handler with :class:`JsonFormatter` on the ``linkkit`` logger, at INFO. An application
that routes logs through its own handlers sets :class:`JsonFormatter` on them instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from typing import Any, Final, TextIO

from linkkit._redact import get_logger, redact_text

#: The environment variable and the value that turn JSON lines on.
LOG_FORMAT_ENV: Final = "LINKKIT_LOG_FORMAT"
#: The logger of the one-line-per-call access log.
ACCESS_LOGGER: Final = "linkkit.access"
#: The fields an access line adds, in order.
ACCESS_FIELDS: Final = ("request_id", "endpoint", "outcome", "code", "status", "duration_ms")

# LogRecord attributes that are not extra fields.
_STANDARD: Final = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact_text(str(value))


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC)
        line: dict[str, Any] = {
            "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact_text(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = _clean(value)
        if record.exc_info:
            line["error"] = redact_text(self.formatException(record.exc_info))
        elif record.exc_text:
            line["error"] = redact_text(record.exc_text)
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


_HANDLER_FLAG: Final = "_linkkit_json_handler"


def configure_logging(*, stream: TextIO | None = None, force: bool = False) -> bool:
    """When ``LINKKIT_LOG_FORMAT=json`` (or ``force``), write every ``linkkit`` log record as a JSON line
    to ``stream`` (stderr by default), at INFO and above, and stop them from also reaching the root
    logger's handlers (each line is written once). Idempotent; returns whether JSON lines are on.
    A value other than ``json`` or ``text`` is refused, so that a typo does not silently keep text."""
    value = os.environ.get(LOG_FORMAT_ENV, "").strip().lower()
    if value not in ("", "json", "text"):
        from linkkit.errors import ConfigError

        raise ConfigError(f"{LOG_FORMAT_ENV}: 'json' or 'text' (got {value!r})")
    if not (force or value == "json"):
        return False
    root = logging.getLogger("linkkit")
    if not any(getattr(h, _HANDLER_FLAG, False) for h in root.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonFormatter())
        setattr(handler, _HANDLER_FLAG, True)
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    root.propagate = False
    return True


def access_logger() -> logging.Logger:
    """The ``linkkit.access`` logger (with the redacting filter)."""
    return get_logger(ACCESS_LOGGER)
