"""Deprecated: import from ``linkkit.atw.replay``; this path stays until 2.0.

Replay keys and the in-memory :class:`ReplayGuard`.
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.replay import ReplayCapacityError as ReplayCapacityError
from linkkit.atw.replay import ReplayGuard as ReplayGuard
from linkkit.atw.replay import replay_keys as replay_keys
from linkkit.atw.replay import signature_key as signature_key
from linkkit.atw.replay import signed_link_key as signed_link_key
from linkkit.atw.replay import token_signature as token_signature
