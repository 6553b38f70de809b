"""Reading inputs for commands: card JSON from a file or stdin, with errors that name the place."""

from __future__ import annotations

import json
from typing import Any

import click

from linkkit.errors import FieldError, ValidationError


def read_json_arg(path: str, what: str = "card") -> Any:
    """Read JSON from ``path`` (``-`` is stdin); a decode error names the file, line and column."""
    name = "stdin" if path == "-" else path
    try:
        with click.open_file(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise click.BadParameter(f"{name}: cannot read ({exc.strerror or exc})", param_hint=what) from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValidationError(FieldError(name, f"not UTF-8 (byte {exc.start})")) from exc
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise ValidationError(FieldError(name, reason)) from exc
