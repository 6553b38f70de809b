"""Save to Pay (S2P) wire contract shared by the partner side and the sandbox: data types and
validation, bodies, headers and application codes of Samsung's API
(https://developer.samsung.com/pay/save2pay/api-introduction.html), and the welcome UI protocol
(``docs/welcome-protocol.md``). See ``docs/save-to-pay.md``."""

from linkkit.s2p.ledger import LedgerEntry as LedgerEntry
from linkkit.s2p.ledger import RegistrationLedger as RegistrationLedger
from linkkit.s2p.models import DeviceInfo as DeviceInfo
from linkkit.s2p.models import Notification as Notification
from linkkit.s2p.models import Registration as Registration
from linkkit.s2p.models import RegistrationInfo as RegistrationInfo
from linkkit.s2p.models import encrypted_data_of as encrypted_data_of
from linkkit.s2p.models import notification_response as notification_response
from linkkit.s2p.schema import NOTIFICATION_FIELDS as NOTIFICATION_FIELDS
from linkkit.s2p.schema import REGISTRATION_FIELDS as REGISTRATION_FIELDS
from linkkit.s2p.schema import Field as Field
from linkkit.s2p.schema import check_notification as check_notification
from linkkit.s2p.schema import check_registration as check_registration

__all__ = [
    "NOTIFICATION_FIELDS",
    "REGISTRATION_FIELDS",
    "DeviceInfo",
    "Field",
    "LedgerEntry",
    "Notification",
    "Registration",
    "RegistrationInfo",
    "RegistrationLedger",
    "check_notification",
    "check_registration",
    "encrypted_data_of",
    "notification_response",
]
