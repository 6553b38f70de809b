"""Deprecated: import from ``linkkit.atw.verify``; this path stays until 2.0.

Opening and verifying tokens (:class:`TokenVerifier`, the named checks).
A thin re-export kept so that code written against the old layout keeps working: it has no
code of its own, and raises no warning in this release."""

from linkkit.atw.verify import ACCEPTED_TOKEN_VERSIONS as ACCEPTED_TOKEN_VERSIONS
from linkkit.atw.verify import MAX_TOKEN_LENGTH as MAX_TOKEN_LENGTH
from linkkit.atw.verify import Check as Check
from linkkit.atw.verify import DecodedJWS as DecodedJWS
from linkkit.atw.verify import OpenedCardToken as OpenedCardToken
from linkkit.atw.verify import Status as Status
from linkkit.atw.verify import TokenRun as TokenRun
from linkkit.atw.verify import TokenVerifier as TokenVerifier
from linkkit.atw.verify import VerifiedAuthToken as VerifiedAuthToken
from linkkit.atw.verify import check_token_version as check_token_version
from linkkit.atw.verify import decode_jws as decode_jws
from linkkit.atw.verify import decrypt_jwe as decrypt_jwe
from linkkit.atw.verify import loads_strict as loads_strict
from linkkit.atw.verify import utc_ms as utc_ms
