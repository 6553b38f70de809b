"""Settings for every command: a flag, else ``LINKKIT_<NAME>``, else ``linkkit.toml``.

The TOML file is ``--config FILE`` (or ``LINKKIT_CONFIG``), else ``./linkkit.toml`` when it exists.
Paths in it are relative to the file, so ``linkkit keys generate --out keys/`` followed by
``LINKKIT_CONFIG=keys/linkkit.toml linkkit link transmit card.json`` just works.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import click

from linkkit.errors import ConfigError

#: Settings whose values are file paths (resolved against the TOML file's folder).
PATH_SETTINGS = frozenset({"key", "partner_cert", "samsung_cert", "samsung_key", "samsung_ca_cert", "partner_ca_cert"})
_META = "linkkit.settings"


def load_toml(ctx: click.Context) -> dict[str, Any]:
    root = ctx.find_root()
    if _META in root.meta:
        return dict(root.meta[_META])
    explicit = root.params.get("config") or os.environ.get("LINKKIT_CONFIG")
    path = Path(explicit) if explicit else Path("linkkit.toml")
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        for name, value in raw.items():
            if name in PATH_SETTINGS and isinstance(value, str):
                value = str(path.parent / value)
            values[name] = value
    elif explicit:
        raise ConfigError(f"{path}: configuration file not found")
    root.meta[_META] = values
    return dict(values)


class Setting(click.Option):
    """An option that also reads ``LINKKIT_<NAME>`` and the ``linkkit.toml`` key of the same name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.name is not None
        self.setting = self.name
        if self.envvar is None:
            self.envvar = f"LINKKIT_{self.name.upper()}"
            self.show_envvar = True

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        value = load_toml(ctx).get(self.setting)
        if value is not None:
            return value
        return super().get_default(ctx, call=call)


def require(value: Any, flag: str) -> Any:
    """Fail with a message naming the flag, its variable and the TOML key when a setting is missing."""
    if value is None or value == "":
        name = flag.lstrip("-").replace("-", "_")
        raise click.UsageError(f"{flag} is required (or LINKKIT_{name.upper()}, or {name} in linkkit.toml)")
    return value
