"""The Save to Pay notification log, under its first import path.

It lives in :mod:`linkkit.partner.stores` now (``sqlite_s2p`` and ``pg_s2p``); this module keeps
``from linkkit.partner.s2p_store import NotificationStore`` working.
"""

from linkkit.partner.stores.contract import StoredNotification as StoredNotification
from linkkit.partner.stores.sqlite_s2p import NotificationStore as NotificationStore

__all__ = ["NotificationStore", "StoredNotification"]
