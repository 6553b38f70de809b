"""Reading inputs for commands: card JSON from a file or stdin, with errors that name the place."""

from __future__ import annotations

import sys
from typing import Any

import click

from linkkit._json import read_json
from linkkit.errors import FieldError, JSONInputError, ValidationError


def read_bytes_arg(path: str, what: str) -> bytes:
    """The bytes of ``path`` (``-`` is stdin); an unreadable input is a usage error naming it."""
    try:
        if path == "-":
            if sys.stdin is None or sys.stdin.closed:
                raise click.BadParameter("stdin is closed", param_hint=what)
            return sys.stdin.buffer.read()
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise click.BadParameter(f"{path}: cannot read ({exc.strerror or exc})", param_hint=what) from exc


def read_json_arg(path: str, what: str = "card") -> Any:
    """Read JSON from ``path`` (``-`` is stdin); a decode error names the file, line and column."""
    name = "stdin" if path == "-" else path
    raw = read_bytes_arg(path, what)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(FieldError(name, f"not UTF-8 (byte {exc.start})")) from exc
    try:
        # One reader for everything linkkit parses: size and depth limits, no duplicate members.
        return read_json(raw, what=name)
    except JSONInputError as exc:
        raise ValidationError(FieldError(name, exc.message.removeprefix(f"{name}: "))) from exc
