"""The ``Authorization`` header of a Samsung Wallet call: one parser for every verifier and for the doctor.

Samsung's Partner API pages say of every ``Authorization`` header: "The token can have prefix "Bearer" as
an authorization type, e.g., Bearer <credentials>" (https://developer.samsung.com/wallet/api_new/partner/
authorization-token.html). :func:`parse_authorization` accepts exactly that: a compact JWS, optionally after
the scheme and one space. The scheme is matched without regard to case (RFC 9110 §11.1 makes
auth-schemes case-insensitive) and the optional whitespace around a field value is not part of it
(RFC 9110 §5.5); anything else (another scheme, two spaces, a tab inside, a comma list, padding or
foreign characters in the token) is refused.

Accepting the case variants is safe because nothing is keyed on the header's text: a replay store
remembers the decoded, verified signature bytes (:mod:`linkkit.atw.replay`), which no re-spelling changes.
"""

from __future__ import annotations

import re
from typing import Final

from linkkit.errors import MalformedTokenError

#: Longest Authorization value read: the token is String(1024) on Samsung's side; 64 KiB is the
#: verifier's own bound, so nothing longer is even scanned.
MAX_AUTHORIZATION_LENGTH: Final = 65536 + len("Bearer ")

_OWS: Final = " \t"
_WHITESPACE: Final = " \t\r\n\v\f"
_AUTHORIZATION: Final = re.compile(r"(?:(?i:bearer) )?(?P<token>[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")


def parse_authorization(value: object) -> str:
    """The compact JWS of an ``Authorization`` header value: ``Bearer <token>`` or ``<token>``.

    :raises MalformedTokenError: (code ``malformed``) for anything but the one form Samsung sends.
    """
    if not isinstance(value, str):
        raise MalformedTokenError("the Authorization header must be text")
    if len(value) > MAX_AUTHORIZATION_LENGTH:
        raise MalformedTokenError(f"the Authorization header is longer than {MAX_AUTHORIZATION_LENGTH} characters")
    match = _AUTHORIZATION.fullmatch(value.strip(_OWS))
    if match is None:
        raise MalformedTokenError("the Authorization header must be a compact JWS, optionally after 'Bearer '")
    return match["token"]


def compact_token(value: object) -> str:
    """A bare token as it is, or the token of an ``Authorization`` value (:func:`parse_authorization`).

    For APIs that take either (``TokenVerifier.verify_auth_token``, ``linkkit inspect``). A value without
    whitespace is a bare token, whose shape the JOSE decoder checks (and explains); one with whitespace
    must be an ``Authorization`` value that :func:`parse_authorization` accepts.
    """
    if isinstance(value, str) and not any(c in value for c in _WHITESPACE):
        return value
    return parse_authorization(value)
