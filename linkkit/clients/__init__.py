"""Clients for Samsung's server APIs (partner → Samsung): the Wallet server API, and Save to Pay."""

from linkkit.clients._http import NO_RETRY as NO_RETRY
from linkkit.clients._http import RetryPolicy as RetryPolicy
from linkkit.clients._http import new_request_id as new_request_id

__all__ = [
    "NO_RETRY",
    "RetryPolicy",
    "new_request_id",
]
