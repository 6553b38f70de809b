"""The one exception tree of linkkit.

Every error linkkit raises on purpose derives from :class:`LinkKitError`, so callers
can catch one class. Where a builtin meaning fits, the class also inherits the
builtin (``ValueError``) so that ``except ValueError`` keeps working.

Messages never contain key material, whole tokens or refIds: they name the
field and say what was expected.

::

    LinkKitError
    ├── ConfigError(ValueError)            bad configuration, missing setting
    │   └── MissingDependencyError(ImportError)  an optional part used without its extra installed
    ├── KeyLoadError                       unreadable or mismatched key / certificate
    │   └── CertificateExpiredError        a certificate in use has expired (the server refuses to start)
    ├── PeerCertificateError(ssl.SSLCertVerificationError)  a TLS peer's certificate is not for its role
    ├── ValidationError(ValueError)        data that breaks a rule; .errors lists FieldError
    │   ├── ChannelError                   a link kind not allowed for a channel
    │   └── UnknownRegistrationError       an S2P regId the partner never registered (answered 400.1)
    ├── LinkError(ValueError)              a URL that is not an Add to Wallet link
    ├── JSONInputError(ValueError)         input that is not strict JSON, too large or too deep
    ├── UnsafeURLError(ValueError)         a URL that is malformed or not on an allow-list
    ├── PassFileError(ValueError)          an Apple or Google pass that cannot be read safely
    ├── TokenError                         a JWS/JWE that does not open or verify
    │   ├── MalformedTokenError            not compact JOSE, bad base64 or JSON
    │   │   └── MissingCredentialsError    a Samsung call without Authorization or x-request-id
    │   ├── UnsupportedAlgorithmError      alg/enc outside the allow-list
    │   ├── WrongContentTypeError          cty is not the expected CARD / AUTH
    │   ├── BadSignatureError              signature does not verify
    │   ├── DecryptionError                JWE does not decrypt with the key given
    │   ├── ClaimMismatchError             partnerId, certificateId, method or path differ
    │   │   └── UnknownCertificateError    a certificateId that no certificate of the keyring has
    │   ├── TokenExpiredError              older than the age limit
    │   ├── TokenFromFutureError           utc further ahead than the allowed skew
    │   └── ReplayError                    the request id was seen before
    │       └── ReplayCapacityError        the replay guard is full of live entries (answered 503)
    ├── AssetError                         a button or QR that cannot be made
    │   ├── AssetOptionError(ValueError)   an option out of range (QR level, mask, colour, scale ...)
    │   └── QRCapacityError(ValueError)    the link does not fit a QR code
    ├── StoreError                         the partner store refused an operation
    │   └── RegistrationConflictError      a second S2P registration for one card
    ├── BodyTooLarge                       a request body over the partner endpoints' limit (answered 413)
    ├── SandboxRefusal                     the sandbox refuses a call as Samsung would; .status, .code
    │   └── WalletRefusal                  the sandbox's simulated wallet app refuses a call
    └── ApiError                           an HTTP API answered with an error
        ├── TransportError                 no answer: connection, TLS, timeout
        ├── BadRequestError                400 (application code 400.1 for S2P)
        ├── UnauthorizedError              401
        ├── NotFoundError                  404
        ├── ServerError                    500 (500.1)
        └── ServiceUnavailableError        503 (503.1, 503.2), with retry_after
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass


class LinkKitError(Exception):
    """Base class of every error linkkit raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        #: The human message, also ``str(error)``.
        self.message = message


class ConfigError(LinkKitError, ValueError):
    """Configuration is missing or contradictory."""


class MissingDependencyError(ConfigError, ImportError):
    """An optional part of linkkit was used without the extra that installs what it needs.

    Also an ``ImportError``, so ``except ImportError`` around an optional import keeps working.
    """

    def __init__(self, feature: str, *, package: str, extra: str) -> None:
        super().__init__(f"{feature} needs {package} (not installed): pip install 'linkkit[{extra}]'")
        #: What was used (``linkkit.django``, ``the PostgreSQL store``).
        self.feature = feature
        #: The extra that installs what it needs: ``pip install 'linkkit[EXTRA]'``.
        self.extra = extra


class KeyLoadError(LinkKitError):
    """A key or certificate could not be read, or they do not belong together."""


class CertificateExpiredError(KeyLoadError):
    """A certificate the keyring would use has expired: the partner server refuses to start with it
    (``PartnerConfig(allow_expired=True)`` overrides, for tests)."""


class PeerCertificateError(LinkKitError, ssl.SSLCertVerificationError):
    """The other side of a TLS connection presented a certificate that its CA signed but not for the
    role it plays: a client certificate without the ``clientAuth`` extended key usage, a server
    certificate without ``serverAuth`` (:mod:`linkkit._tls_purpose`). ``code`` is ``"no_eku"`` (the
    certificate has no extendedKeyUsage extension) or ``"wrong_eku"``.

    Also an :class:`ssl.SSLCertVerificationError` (an ``OSError``), so that code handling failed
    handshakes, httpx's included, handles this one the same way.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
        # What ssl.SSLError carries, for callers that read it.
        self.reason = code.upper()
        self.verify_message = message


@dataclass(frozen=True, slots=True)
class FieldError:
    """One broken rule: where (a JSON path such as ``card.data[0].attributes.title``) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class ValidationError(LinkKitError, ValueError):
    """Data broke one or more rules. ``errors`` holds each :class:`FieldError`.

    The message is the first error, which names the field; ``str(err)`` is therefore
    a one-line diagnosis fit for a CLI.
    """

    def __init__(self, errors: list[FieldError] | FieldError | str, *, path: str = "") -> None:
        if isinstance(errors, str):
            errors = [FieldError(path, errors)]
        elif isinstance(errors, FieldError):
            errors = [errors]
        if not errors:
            raise ValueError("ValidationError needs at least one FieldError")
        first = str(errors[0])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)
        #: Every broken rule, in document order.
        self.errors: list[FieldError] = list(errors)

    @property
    def field(self) -> str:
        """The JSON path of the first error."""
        return self.errors[0].path


class ChannelError(ValidationError):
    """A link kind that must not be used on a channel (a Data Transmit link in email, SMS, QR or print)."""


class UnknownRegistrationError(ValidationError):
    """Raised by an S2P issuer hook (``linkkit.partner.s2p.IssuerHook``) for a ``regId`` the partner never
    registered: answered 400.1."""

    def __init__(self, message: str = "unknown registration") -> None:
        super().__init__(FieldError("event.regId", message))


class LinkError(LinkKitError, ValueError):
    """A URL that is not a well-formed Add to Wallet link."""


class JSONInputError(LinkKitError, ValueError):
    """Input that :func:`linkkit._json.read_json` refuses. ``code`` is ``"too_large"``, ``"too_deep"``,
    ``"not_utf8"`` or ``"invalid"``; the message names the input, never its content."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


class UnsafeURLError(LinkKitError, ValueError):
    """A URL that is malformed or outside an allow-list (:mod:`linkkit._urls`). ``code`` names the rule
    (``"malformed"``, ``"scheme"``, ``"userinfo"``, ``"host"``, ``"not_allowed"``, ...); the message
    names the field, never the URL."""

    def __init__(self, message: str, *, code: str = "malformed") -> None:
        super().__init__(message)
        self.code = code


class PassFileError(LinkKitError, ValueError):
    """An Apple or Google Wallet pass that :mod:`linkkit.convert` will not read: a zip bomb, an unsafe
    entry name, a symlink, an oversized image, or a file that is not a pass. ``code`` names the rule
    (``"too_large"``, ``"unsafe_entry"``, ``"symlink"``, ``"bad_image"``, ``"not_a_pass"``, ...); the
    message names the file or entry, never its content."""

    def __init__(self, message: str, *, code: str = "not_a_pass") -> None:
        super().__init__(message)
        self.code = code


class TokenError(LinkKitError):
    """A token that does not open or verify. ``code`` is a stable machine-readable reason."""

    code = "token_invalid"


class MalformedTokenError(TokenError):
    code = "malformed"


class MissingCredentialsError(MalformedTokenError):
    """The request has no ``Authorization`` header or no usable ``x-request-id``."""

    code = "missing_credentials"


class UnsupportedAlgorithmError(TokenError):
    code = "unsupported_algorithm"


class WrongContentTypeError(TokenError):
    code = "wrong_content_type"


class BadSignatureError(TokenError):
    code = "bad_signature"


class DecryptionError(TokenError):
    code = "decryption_failed"


class ClaimMismatchError(TokenError):
    code = "claim_mismatch"


class UnknownCertificateError(ClaimMismatchError):
    """The token's ``certificateId`` names no certificate of the keyring (an old or a foreign one)."""

    code = "unknown_certificate"


class TokenExpiredError(TokenError):
    code = "expired"


class TokenFromFutureError(TokenError):
    code = "from_future"


class ReplayError(TokenError):
    code = "replayed"


class ReplayCapacityError(ReplayError):
    """The guard is full of entries still inside the window: it refuses rather than forget one."""

    code = "replay_capacity"


class AssetError(LinkKitError):
    """A button, image or QR code that cannot be produced as asked."""


class AssetOptionError(AssetError, ValueError):
    """An option of a QR code or barcode that is out of range or malformed; the message names it."""


class QRCapacityError(AssetError, ValueError):
    """The data does not fit a QR code at the requested error-correction level."""


class StoreError(LinkKitError):
    """The partner store could not complete an operation."""


class RegistrationConflictError(StoreError):
    """A second registration for one card was refused: Samsung's Save to Pay registration is "called only
    once for one card" (https://developer.samsung.com/pay/save2pay/api-introduction.html).

    ``state`` is the ledger state that refused it: ``registered`` (a different registration exists),
    ``pending`` (one is being sent) or ``unknown`` (an earlier attempt got no answer).
    """

    def __init__(self, message: str, *, state: str) -> None:
        super().__init__(message)
        self.state = state


class BodyTooLarge(LinkKitError):
    """A request body larger than the partner endpoints read (``linkkit.partner.wire.MAX_BODY_BYTES``);
    every adapter answers it with 413."""

    def __init__(self, message: str = "the body is too large") -> None:
        super().__init__(message)


class SandboxRefusal(LinkKitError):
    """The sandbox stops a call where Samsung would: ``code`` is machine-readable, ``message`` says why
    (no token, no refId), ``status`` is the HTTP status it answers with."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class WalletRefusal(SandboxRefusal):
    """The sandbox's simulated wallet app refuses a call; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__("wallet_refused", message, status)


class ApiError(LinkKitError):
    """An HTTP API call failed.

    ``status`` is the HTTP status (0 when there was no answer), ``code`` the
    application code when the body carried one (``"400.1"``, ``"503.2"``).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.request_id = request_id


class TransportError(ApiError):
    """No HTTP answer: connection refused, TLS handshake failed, timeout."""


class BadRequestError(ApiError):
    """400: the request broke a rule of the API."""


class UnauthorizedError(ApiError):
    """401: the authorization token was refused."""


class NotFoundError(ApiError):
    """404: no such resource."""


class ServerError(ApiError):
    """500: the server failed."""


class ServiceUnavailableError(ApiError):
    """503: try again later; ``retry_after`` is in seconds when the server said."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 503,
        code: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, request_id=request_id)
        self.retry_after = retry_after
