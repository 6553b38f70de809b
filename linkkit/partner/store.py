"""The partner store protocol and its SQLite default, under their first import path.

They live in :mod:`linkkit.partner.stores` now (``contract``, ``sqlite``, ``postgresql``); this
module keeps ``from linkkit.partner.store import SQLiteStore`` working.
"""

from linkkit.partner.stores.contract import DEFAULT_REPLAY_WINDOW as DEFAULT_REPLAY_WINDOW
from linkkit.partner.stores.contract import Store as Store
from linkkit.partner.stores.sqlite import SCHEMA_VERSION as SCHEMA_VERSION
from linkkit.partner.stores.sqlite import SQLiteStore as SQLiteStore

__all__ = ["DEFAULT_REPLAY_WINDOW", "SCHEMA_VERSION", "SQLiteStore", "Store"]
