"""Capture every log line a test produces, whatever logger it comes from, to check none carries a secret.

A handler on the root logger at DEBUG sees each record that propagates; the loggers that set their own
level (werkzeug's access log, httpx) are opened to DEBUG for the capture too. Anything written straight
to stdout or stderr is read by the caller from ``capfd``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

# Loggers that set a level of their own (werkzeug sets INFO on first use; the demo quiets httpx).
_NAMED = ("", "linkkit", "demo_site", "werkzeug", "httpx", "httpcore", "hpack", "urllib3")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def all_log_output() -> Iterator[list[str]]:
    """The formatted lines (with tracebacks) of every log record emitted inside the block."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in _NAMED]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def leaks(text: str, secrets: dict[str, Iterable[str]]) -> list[str]:
    """``kind: line`` for each line of ``text`` that contains one of the secrets (the secret masked)."""
    found = []
    for kind, values in secrets.items():
        for value in values:
            for line in text.splitlines():
                if value and value in line:
                    found.append(f"{kind}: {line.replace(value, '<' + kind + '>')}")
    return found


def pem_bodies(files: dict[str, bytes]) -> list[str]:
    """Two lines of the base64 body of each private key in ``files``."""
    out = []
    for data in files.values():
        text = data.decode("ascii", "replace")
        if "PRIVATE KEY" in text:
            body = [line for line in text.splitlines() if line and not line.startswith("-----")]
            out += [body[1], body[-2]]
    return out
