"""Deprecated: import from ``linkkit.atw.authorization``; this path stays until 2.0.

The one parser of the ``Authorization`` header.
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.authorization import MAX_AUTHORIZATION_LENGTH as MAX_AUTHORIZATION_LENGTH
from linkkit.atw.authorization import compact_token as compact_token
from linkkit.atw.authorization import parse_authorization as parse_authorization
