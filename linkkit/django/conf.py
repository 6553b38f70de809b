"""The settings entry of :mod:`linkkit.django`, and the one server it names.

::

    LINKKIT_PARTNER = {
        # a PartnerServer, or a callable that returns one, by dotted path: built on the first
        # request of each process (after a server forks its workers), then kept
        "SERVER": "shop.partner.build_server",
    }
"""

from __future__ import annotations

import threading
from typing import Any, Final

from django.conf import settings
from django.utils.module_loading import import_string

from linkkit.errors import ConfigError
from linkkit.partner.endpoints import PartnerServer

#: The name of the settings entry.
SETTING: Final = "LINKKIT_PARTNER"

_lock = threading.Lock()
_built: dict[str, PartnerServer] = {}


def server_path() -> str:
    """The dotted path ``LINKKIT_PARTNER["SERVER"]`` names.

    :raises ConfigError: the entry is missing or not of that shape.
    """
    entry: Any = getattr(settings, SETTING, None)
    if not isinstance(entry, dict) or not isinstance(entry.get("SERVER"), str) or not entry["SERVER"]:
        raise ConfigError(
            f'{SETTING}["SERVER"]: required, the dotted path of a PartnerServer or of a function making one'
        )
    return str(entry["SERVER"])


def load(path: str) -> PartnerServer:
    """Import ``path`` and return the :class:`PartnerServer` it is, or that calling it returns."""
    try:
        found = import_string(path)
    except ImportError as exc:
        raise ConfigError(f'{SETTING}["SERVER"]: cannot import {path!r} ({exc})') from exc
    server = found if isinstance(found, PartnerServer) else found() if callable(found) else found
    if not isinstance(server, PartnerServer):
        raise ConfigError(f'{SETTING}["SERVER"]: {path!r} is not a PartnerServer (nor a function returning one)')
    return server


def get_server() -> PartnerServer:
    """The server of this process, built once (thread-safe)."""
    path = server_path()
    server = _built.get(path)
    if server is None:
        with _lock:
            server = _built.get(path)
            if server is None:
                server = _built[path] = load(path)
    return server
