"""Did-you-mean: close matches (``difflib``) for mistyped choices and locales, in one place.

click already suggests commands and options; :func:`install` gives every ``click.Choice`` of the
command tree the same courtesy, and :func:`locale_option` checks a ``--locale`` against the
shipped button languages instead of silently falling back to English.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import click

from linkkit.assets.locales import DEFAULT_LOCALE, LOCALES, fallback_chain


def close_matches(value: str, choices: Iterable[str], *, limit: int = 3) -> list[str]:
    """The choices closest to ``value`` (case-insensitive), best first; ``[]`` when none is close."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    found = difflib.get_close_matches(value.casefold(), list(by_folded), n=limit, cutoff=0.6)
    return [by_folded[match] for match in found]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``" Did you mean 'x'?"`` (or ``'x' or 'y'``), or ``""`` when nothing is close."""
    found = close_matches(value, choices)
    if not found:
        return ""
    return " Did you mean " + " or ".join(repr(m) for m in found) + "?"


class SuggestingChoice(click.Choice):  # type: ignore[type-arg]
    """A ``click.Choice`` whose error names the closest choices."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        return message + did_you_mean(str(value), [str(c) for c in self.choices])


def install(command: click.Command) -> None:
    """Make every ``click.Choice`` of ``command`` and its subcommands suggest close matches."""
    for param in command.params:
        if type(param.type) is click.Choice:
            param.type = SuggestingChoice(param.type.choices, case_sensitive=param.type.case_sensitive)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            install(sub)


#: Country codes often typed for a language ("jp" for Japanese): suggested, never applied.
_COUNTRY_FOR_LANGUAGE = {
    "jp": "ja",
    "kr": "ko",
    "gr": "el",
    "cn": "zh-CN",
    "tw": "zh-TW",
    "hk": "zh-TW",
    "br": "pt-BR",
    "se": "sv",
    "il": "he",
}


def check_locale(tag: str) -> str:
    """``tag`` when a shipped locale serves it (itself, its language, or that language's default).

    :raises click.BadParameter: for a tag that would silently fall back to English, naming the
        closest shipped tags.
    """
    chain = fallback_chain(tag)
    served = next(candidate for candidate in chain if candidate in LOCALES)
    if served != DEFAULT_LOCALE or tag.casefold().replace("_", "-").split("-")[0] == "en":
        return tag
    country = _COUNTRY_FOR_LANGUAGE.get(tag.casefold())
    hint = f" Did you mean {country!r}?" if country else did_you_mean(tag, LOCALES)
    hint = hint or f" Shipped: {', '.join(LOCALES)}."
    raise click.BadParameter(f"{tag!r}: no button in this language (it would fall back to {DEFAULT_LOCALE}).{hint}")


def locale_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click ``callback`` for ``--locale`` options: :func:`check_locale`."""
    return None if value is None else check_locale(value)
