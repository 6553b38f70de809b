"""Verify what Samsung signs with the keyring's Samsung certificates: the one pipeline
(:class:`~linkkit.atw.verify.TokenVerifier`), with the key chosen by each token's ``certificateId``.

An AUTH token names the certificate that signed it in its JWS header. :class:`KeyringVerifier` keeps one
:class:`~linkkit.atw.verify.TokenVerifier` per Samsung certificate of the keyring (bound to that
certificate's id, so the pipeline's id check still runs) and hands each token to the one its header
names; an id the keyring does not hold is refused before any signature is checked, with
:class:`~linkkit.errors.UnknownCertificateError` (``unknown_certificate``). A signedAtwLink names no
certificate: it is checked against each certificate in turn (two during a change-over, one otherwise).

When the keyring changes (a reload), the verifiers are made again on the next token.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from linkkit.atw.signature import SignedAtwLink, verify_signed_atw_link
from linkkit.atw.verify import TokenVerifier, VerifiedAuthToken, decode_jws
from linkkit.errors import BadSignatureError
from linkkit.keyring import Keyring, KeyringSource, SamsungCertificate

#: Makes the verifier of one Samsung certificate (the partner's ids and time limits are the caller's).
VerifierFactory = Callable[[SamsungCertificate], TokenVerifier]


class KeyringVerifier:
    """Chooses the Samsung certificate of each token (see the module docstring).

    :param keys: the keyring, or where it comes from.
    :param make: builds the :class:`~linkkit.atw.verify.TokenVerifier` of one certificate.
    """

    def __init__(self, keys: KeyringSource, make: VerifierFactory) -> None:
        self._keys = keys
        self._make = make
        self._lock = threading.Lock()
        self._built: tuple[Keyring, dict[str | None, TokenVerifier]] | None = None

    def _verifiers(self) -> tuple[Keyring, dict[str | None, TokenVerifier]]:
        keyring = self._keys.current()
        built = self._built
        if built is None or built[0] is not keyring:
            with self._lock:
                built = self._built
                if built is None or built[0] is not keyring:
                    made = {c.certificate_id: self._make(c) for c in keyring.samsung_certificates}
                    built = self._built = (keyring, made)
        return built

    def verifier_for(self, token: str) -> TokenVerifier:
        """The verifier of the certificate ``token`` names.

        :raises linkkit.errors.MalformedTokenError: the token has no readable header.
        :raises linkkit.errors.UnknownCertificateError: its ``certificateId`` is not in the keyring.
        """
        keyring, verifiers = self._verifiers()
        if len(verifiers) == 1 and None in verifiers:
            return verifiers[None]  # one certificate that takes any id: nothing to choose
        certificate = keyring.samsung_certificate(decode_jws(token).header.get("certificateId"))
        return verifiers[certificate.certificate_id]

    def verify_auth_token(self, authorization: str, *, method: str, path: str) -> VerifiedAuthToken:
        """:meth:`~linkkit.atw.verify.TokenVerifier.verify_auth_token` with the certificate the token names."""
        return self.verifier_for(authorization).verify_auth_token(authorization, method=method, path=path)


def verify_signed_link(
    keyring: Keyring, value: str, *, max_age: float, clock_skew: float, clock: Callable[[], float]
) -> SignedAtwLink:
    """A signedAtwLink checked against each Samsung certificate of ``keyring`` in turn (it names none).

    :raises linkkit.errors.TokenError: the first certificate's error when none verifies it.
    """
    first: BadSignatureError | None = None
    for certificate in keyring.samsung_certificates:
        try:
            return verify_signed_atw_link(value, certificate.key, max_age=max_age, clock_skew=clock_skew, clock=clock)
        except BadSignatureError as exc:
            first = first or exc
    assert first is not None  # a keyring holds at least one certificate
    raise first
