"""Deprecated: import from ``linkkit.atw.action_types``; this path stays until 2.0.

The ``actionType`` values of the Request Action sequence.
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.action_types import ACTION_TYPES as ACTION_TYPES
from linkkit.atw.action_types import CHECK_ELIGIBILITY as CHECK_ELIGIBILITY
from linkkit.atw.action_types import REGISTER as REGISTER
from linkkit.atw.action_types import USER_AUTH as USER_AUTH
