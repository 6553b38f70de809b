"""Where the partner side keeps its state: SQLite (embedded, the default) or PostgreSQL (several machines).

One contract (:mod:`~linkkit.partner.stores.contract`), two engines, one URL to pick
(:func:`~linkkit.partner.stores.urls.open_store`).
"""

from linkkit.partner.stores.contract import DEFAULT_REPLAY_WINDOW as DEFAULT_REPLAY_WINDOW
from linkkit.partner.stores.contract import NotificationLog as NotificationLog
from linkkit.partner.stores.contract import Store as Store
from linkkit.partner.stores.contract import StoredNotification as StoredNotification
from linkkit.partner.stores.pg_s2p import PostgreSQLNotificationStore as PostgreSQLNotificationStore
from linkkit.partner.stores.postgresql import PostgreSQLStore as PostgreSQLStore
from linkkit.partner.stores.sqlite import SQLiteStore as SQLiteStore
from linkkit.partner.stores.sqlite_s2p import NotificationStore as NotificationStore
from linkkit.partner.stores.sqlite_s2p import SQLiteNotificationStore as SQLiteNotificationStore
from linkkit.partner.stores.urls import STORE_URL_ENV as STORE_URL_ENV
from linkkit.partner.stores.urls import open_notification_store as open_notification_store
from linkkit.partner.stores.urls import open_store as open_store
from linkkit.partner.stores.urls import parse_store_url as parse_store_url

__all__ = [
    "DEFAULT_REPLAY_WINDOW",
    "STORE_URL_ENV",
    "NotificationLog",
    "NotificationStore",
    "PostgreSQLNotificationStore",
    "PostgreSQLStore",
    "SQLiteNotificationStore",
    "SQLiteStore",
    "Store",
    "StoredNotification",
    "open_notification_store",
    "open_store",
    "parse_store_url",
]
