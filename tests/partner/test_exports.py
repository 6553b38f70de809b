"""The public API of linkkit.partner, linkkit.sandbox and linkkit.clients: sorted, complete, importable."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["linkkit.partner", "linkkit.sandbox", "linkkit.clients"])
def test_all_is_sorted_complete_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    # ruff's order (RUF022): CONSTANTS, then Classes, then functions
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n[0].islower(), n))
    public = {n for n, v in vars(module).items() if not n.startswith("_") and type(v).__name__ != "module"}
    assert public == set(module.__all__)
    for item in module.__all__:
        assert getattr(module, item) is not None


@pytest.mark.parametrize("name", ["linkkit.partner.stores", "linkkit.partner.store", "linkkit.partner.s2p_store"])
def test_the_store_modules_export_what_they_say(name: str) -> None:
    test_all_is_sorted_complete_and_resolves(name)


def test_the_first_import_paths_still_work() -> None:
    from linkkit.partner import SQLiteStore as from_package
    from linkkit.partner.s2p_store import NotificationStore, StoredNotification
    from linkkit.partner.store import DEFAULT_REPLAY_WINDOW, SQLiteStore, Store
    from linkkit.partner.stores import sqlite, sqlite_s2p
    from linkkit.partner.stores.contract import StoredNotification as stored

    assert SQLiteStore is from_package is sqlite.SQLiteStore and NotificationStore is sqlite_s2p.NotificationStore
    assert (
        StoredNotification is stored and DEFAULT_REPLAY_WINDOW == 150.0 and isinstance(SQLiteStore(":memory:"), Store)
    )


def test_importing_the_partner_side_needs_no_postgresql_driver() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg_pool'] = None\n"
        "import linkkit.partner\n"
        "from linkkit.errors import ConfigError\n"
        "try:\n    linkkit.partner.PostgreSQLStore('postgresql://x@127.0.0.1:1/db')\n"
        "except ConfigError as exc:\n    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "pip install 'linkkit[postgresql]'" in out.stdout
