"""Deprecated: import from ``linkkit.atw.signature``; this path stays until 2.0.

The signedAtwLink of a Request Action ``CHECK_ELIGIBILITY``.
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.signature import SIGNED_ATW_LINK_MAX_AGE_S as SIGNED_ATW_LINK_MAX_AGE_S
from linkkit.atw.signature import SignedAtwLink as SignedAtwLink
from linkkit.atw.signature import sign_atw_link as sign_atw_link
from linkkit.atw.signature import verify_signed_atw_link as verify_signed_atw_link
