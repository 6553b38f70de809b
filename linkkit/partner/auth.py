"""Check every call Samsung makes to the partner before anything else runs.

In order: an ``Authorization`` header and an ``x-request-id`` are present; the AUTH token is RS256,
``cty`` AUTH, signed by Samsung's key, carries our ``partnerId``, its ``utc`` is within ±60 s, and its
``API.method`` / ``API.path`` equal the actual request; a ``refId`` claim, when present, equals the
path's; and only then are the request id and the token's decoded signature bytes remembered, so a
copy of the request is refused under a new request id and whatever the spelling of its header. The
replay check comes last so that nobody without Samsung's key can burn request ids.
"""

from __future__ import annotations

import re
from typing import Final, Protocol

from linkkit.atw.authorization import parse_authorization
from linkkit.atw.verify import TokenVerifier, VerifiedAuthToken
from linkkit.errors import ClaimMismatchError
from linkkit.errors import MissingCredentialsError as MissingCredentialsError
from linkkit.keyring import SamsungCertificate
from linkkit.keyring_verify import KeyringVerifier
from linkkit.partner.config import PartnerConfig
from linkkit.partner.wire import Request

# x-request-id is String(32), a "random generated UUID string"
# (https://developer.samsung.com/wallet/securityauthentication/restapiauthorizationtoken.html); a UUID
# written with dashes is 36 characters, so accept up to 64 of a safe alphabet.
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class ReplayChecker(Protocol):
    def check_and_remember(self, request_id: str, *, signature: bytes | None = None) -> None: ...


class InboundAuth:
    """Verifies Samsung's AUTH tokens for one partner (see the module docstring)."""

    def __init__(self, config: PartnerConfig, replay: ReplayChecker) -> None:
        def verifier(certificate: SamsungCertificate) -> TokenVerifier:
            return TokenVerifier(
                signer_public_key=certificate.key,
                partner_id=config.partner_id,
                certificate_id=certificate.certificate_id,
                auth_window=config.auth_window,
                clock_skew=config.clock_skew,
                clock=config.clock,
            )

        # Samsung's key is chosen by each token's certificateId (several during a change-over).
        self._verifier = KeyringVerifier(config.keys, verifier)
        self._replay = replay

    def check(self, request: Request, *, ref_id: str | None = None) -> VerifiedAuthToken:
        """Verify ``request``; return the token's claims.

        :param ref_id: the refId of the path, compared with the token's ``refId`` claim when it has one.
        :raises linkkit.errors.TokenError: a subclass whose ``code`` names the failed check.
        """
        authorization = request.headers.get("authorization")
        if not authorization:
            raise MissingCredentialsError("the Authorization header is required")
        request_id = request.headers.get("x-request-id", "")
        if not _REQUEST_ID.fullmatch(request_id):
            raise MissingCredentialsError("x-request-id is required (1-64 letters, digits, '.', '_', ':' or '-')")
        token = parse_authorization(authorization)  # "Bearer <token>" or the bare token, as Samsung sends it
        verified = self._verifier.verify_auth_token(token, method=request.method, path=request.path)
        if ref_id is not None and verified.ref_id is not None and verified.ref_id != ref_id:
            raise ClaimMismatchError("AUTH token refId does not match the request's")
        self._replay.check_and_remember(request_id, signature=verified.signature)
        return verified
