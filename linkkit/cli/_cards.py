"""Card validation on the command line: ``--strict``, the deprecated ``--lenient``, warnings on stderr.

Shared by every command that takes a card (``linkkit link transmit``, ``linkkit plan``), so a card
gets the same verdict everywhere: errors stop the command (exit 1, the field named), warnings are
printed and the command goes on, ``--strict`` refuses warnings too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from linkkit.cards import ValidationReport, validate_card

F = TypeVar("F", bound=Callable[..., Any])

_STRICT_HELP = (
    "Refuse warnings too: what Samsung's current pages mark otherwise although its own samples do it "
    '(a missing lightUrl or subType, "" timestamps, unknown attributes ...).'
)
_LENIENT_HELP = "Deprecated, the default now: warnings never stop the command (--strict refuses them)."


def strictness_options(command: F) -> F:
    """Add ``--strict`` and the deprecated ``--lenient`` to a command taking a card."""
    command = click.option("--lenient", is_flag=True, help=_LENIENT_HELP)(command)
    return click.option("--strict", is_flag=True, help=_STRICT_HELP)(command)


def checked_card(obj: object, *, strict: bool, lenient: bool) -> ValidationReport:
    """Validate ``obj`` as the command line does; print each warning on stderr.

    :raises click.UsageError: for ``--strict`` with ``--lenient``.
    :raises linkkit.errors.ValidationError: when the card has errors (the CLI exits 1 naming the field).
    """
    if strict and lenient:
        raise click.UsageError("--strict and --lenient contradict each other (--lenient is deprecated)")
    if lenient:
        click.echo("linkkit: warning: --lenient is deprecated: warnings no longer stop the command", err=True)
    report = validate_card(obj, strict=strict)
    for warning in report.warnings:
        click.echo(f"linkkit: warning: {warning}", err=True)
    return report


def warnings_json(report: ValidationReport) -> list[dict[str, Any]]:
    """The warnings of ``report`` for ``--json`` output."""
    return [warning.to_dict() for warning in report.warnings]
