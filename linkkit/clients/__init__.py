"""Clients for Samsung's server APIs (partner → Samsung): the Wallet server API, and Save to Pay."""

from linkkit.clients._http import NO_RETRY as NO_RETRY
from linkkit.clients._http import RetryPolicy as RetryPolicy
from linkkit.clients._http import new_request_id as new_request_id
from linkkit.clients.s2p import RegistrationConflictError as RegistrationConflictError
from linkkit.clients.s2p import S2PClient as S2PClient
from linkkit.clients.wallet import Accepted as Accepted
from linkkit.clients.wallet import BatchUpdate as BatchUpdate
from linkkit.clients.wallet import Cancellation as Cancellation
from linkkit.clients.wallet import CardUpdate as CardUpdate
from linkkit.clients.wallet import ReferenceIds as ReferenceIds
from linkkit.clients.wallet import TemplateResult as TemplateResult
from linkkit.clients.wallet import WalletClient as WalletClient

__all__ = [
    "NO_RETRY",
    "Accepted",
    "BatchUpdate",
    "Cancellation",
    "CardUpdate",
    "ReferenceIds",
    "RegistrationConflictError",
    "RetryPolicy",
    "S2PClient",
    "TemplateResult",
    "WalletClient",
    "new_request_id",
]
