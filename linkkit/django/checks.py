"""System checks (``manage.py check``) for the settings entry of :mod:`linkkit.django`.

They import what ``LINKKIT_PARTNER["SERVER"]`` names without calling it: a check must not load keys
or connect to the database.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.module_loading import import_string

from linkkit.django.conf import SETTING, server_path
from linkkit.errors import ConfigError


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        path = server_path()
    except ConfigError as exc:
        hint = f'{SETTING} = {{"SERVER": "yourproject.partner.build_server"}}'
        return [checks.Error(str(exc), hint=hint, id="linkkit.E001")]
    try:
        found = import_string(path)
    except ImportError as exc:
        return [checks.Error(f'{SETTING}["SERVER"]: cannot import {path!r}', hint=str(exc), id="linkkit.E002")]
    if not callable(found) and type(found).__name__ != "PartnerServer":
        return [
            checks.Error(f'{SETTING}["SERVER"]: {path!r} is neither a PartnerServer nor callable', id="linkkit.E003")
        ]
    return []


def register() -> None:
    checks.register(check_settings, "linkkit")
