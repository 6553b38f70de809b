"""Pick the partner store from one configuration value, a URL.

=====================================  ==============================================================
``postgresql://user@host:5432/db``     :class:`~linkkit.partner.stores.postgresql.PostgreSQLStore`
(or ``postgres://``)                   (query parameters are libpq's: ``?sslmode=verify-full``)
``sqlite:///partner.sqlite3``          :class:`~linkkit.partner.stores.sqlite.SQLiteStore`, relative path
``sqlite:////var/lib/shop/p.sqlite3``  an absolute path (four slashes, as SQLAlchemy and Django spell it)
``sqlite://`` or ``sqlite:///:memory:``  in memory (tests)
``partner.sqlite3``                    a plain path is a SQLite file
=====================================  ==============================================================

The same URL names the database for ``linkkit db upgrade`` (``--store-url``, ``LINKKIT_STORE_URL`` or
``store_url`` in linkkit.toml), the Django settings entry and the examples.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import unquote, urlsplit

from linkkit.errors import ConfigError
from linkkit.partner.stores.sqlite import SQLiteStore
from linkkit.partner.stores.sqlite_s2p import NotificationStore

if TYPE_CHECKING:
    from linkkit.partner.stores.pg_s2p import PostgreSQLNotificationStore
    from linkkit.partner.stores.postgresql import PostgreSQLStore

#: Environment variable the command line and the examples read the store URL from.
STORE_URL_ENV: Final = "LINKKIT_STORE_URL"
Engine = Literal["sqlite", "postgresql"]


def parse_store_url(url: str | os.PathLike[str]) -> tuple[Engine, str]:
    """``("postgresql", conninfo)`` or ``("sqlite", path)`` for a store URL (see the module docstring).

    :raises ConfigError: a scheme linkkit has no store for, or an empty value.
    """
    text = os.fspath(url)
    if not isinstance(text, str) or not text.strip():
        raise ConfigError("store_url: empty (give a postgresql:// URL or a SQLite file)")
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in ("postgresql", "postgres"):
        if not text.split(":", 1)[1].startswith("//"):
            raise ConfigError("store_url: a PostgreSQL URL starts postgresql://")
        return "postgresql", text
    if scheme == "sqlite":
        parts = urlsplit(text)
        if parts.netloc or parts.query or parts.fragment:
            raise ConfigError("store_url: a sqlite URL is sqlite:///relative/path or sqlite:////absolute/path")
        path = unquote(parts.path)
        if path in ("", "/", "/:memory:"):
            return "sqlite", ":memory:"
        return "sqlite", path[1:]
    if "://" in text:
        raise ConfigError(f"store_url: unsupported scheme {scheme!r} (postgresql:// or sqlite:///)")
    return "sqlite", text


def open_store(url: str | os.PathLike[str], **options: Any) -> SQLiteStore | PostgreSQLStore:
    """The partner store a URL names, with its schema current; ``options`` go to its constructor
    (``replay_window``, ``clock``; for PostgreSQL also ``migrate``, ``min_size``, ``max_size``, ``timeout``)."""
    engine, target = parse_store_url(url)
    if engine == "postgresql":
        from linkkit.partner.stores.postgresql import PostgreSQLStore

        return PostgreSQLStore(target, **options)
    return SQLiteStore(target, **options)


def open_notification_store(
    url: str | os.PathLike[str], **options: Any
) -> NotificationStore | PostgreSQLNotificationStore:
    """The Save to Pay notification log a URL names (a SQLite file of its own, or the PostgreSQL database)."""
    engine, target = parse_store_url(url)
    if engine == "postgresql":
        from linkkit.partner.stores.pg_s2p import PostgreSQLNotificationStore

        return PostgreSQLNotificationStore(target, **options)
    return NotificationStore(target)
