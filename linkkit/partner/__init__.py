"""The partner side: the endpoints Samsung calls, Request Action handlers, click-time links, the store."""

from linkkit.atw.action_types import CHECK_ELIGIBILITY as CHECK_ELIGIBILITY
from linkkit.atw.action_types import REGISTER as REGISTER
from linkkit.atw.action_types import USER_AUTH as USER_AUTH
from linkkit.partner.actions import ActionContext as ActionContext
from linkkit.partner.actions import ActionRegistry as ActionRegistry
from linkkit.partner.actions import ActionResult as ActionResult
from linkkit.partner.actions import ask_user as ask_user
from linkkit.partner.actions import end as end
from linkkit.partner.actions import register as register
from linkkit.partner.actions import reject as reject
from linkkit.partner.clicklinks import ClickLinks as ClickLinks
from linkkit.partner.clicklinks import ClickLinkSpec as ClickLinkSpec
from linkkit.partner.config import PartnerConfig as PartnerConfig
from linkkit.partner.endpoints import CardSource as CardSource
from linkkit.partner.endpoints import PartnerServer as PartnerServer
from linkkit.partner.notify import NotifyReport as NotifyReport
from linkkit.partner.notify import WalletNotifier as WalletNotifier
from linkkit.partner.records import ActionSession as ActionSession
from linkkit.partner.records import CardEventRecord as CardEventRecord
from linkkit.partner.records import CardStatus as CardStatus
from linkkit.partner.records import ClickLinkRecord as ClickLinkRecord
from linkkit.partner.records import ClickOutcome as ClickOutcome
from linkkit.partner.stores import PostgreSQLStore as PostgreSQLStore
from linkkit.partner.stores import SQLiteStore as SQLiteStore
from linkkit.partner.stores import Store as Store
from linkkit.partner.stores import open_store as open_store
from linkkit.partner.wire import Request as Request
from linkkit.partner.wire import Response as Response

__all__ = [
    "CHECK_ELIGIBILITY",
    "REGISTER",
    "USER_AUTH",
    "ActionContext",
    "ActionRegistry",
    "ActionResult",
    "ActionSession",
    "CardEventRecord",
    "CardSource",
    "CardStatus",
    "ClickLinkRecord",
    "ClickLinkSpec",
    "ClickLinks",
    "ClickOutcome",
    "NotifyReport",
    "PartnerConfig",
    "PartnerServer",
    "PostgreSQLStore",
    "Request",
    "Response",
    "SQLiteStore",
    "Store",
    "WalletNotifier",
    "ask_user",
    "end",
    "open_store",
    "register",
    "reject",
]
